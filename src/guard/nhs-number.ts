// NHS numbers: ten digits whose last digit is a modulus 11 check over the first nine
// (weights 10 down to 2). A remainder that would need check digit 10 means the nine digits
// were never issued, so no ten-digit string starting with them is an NHS number.

const WEIGHTS = [10, 9, 8, 7, 6, 5, 4, 3, 2] as const;

/** The check digit for nine leading digits, or null when none exists (11 - r = 10). */
export function nhsCheckDigit(firstNine: string): number | null {
  if (!/^\d{9}$/.test(firstNine)) return null;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(firstNine.charCodeAt(i) - 48) * WEIGHTS[i]!;
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  if (check === 10) return null;
  return check;
}

/** True for ten digits (separators ignored: spaces, dashes, dots) that pass the check. */
export function isValidNhsNumber(value: string): boolean {
  const digits = value.replace(/[\s\-.\u2010-\u2015/_]/g, '');
  if (!/^\d{10}$/.test(digits)) return false;
  return nhsCheckDigit(digits.slice(0, 9)) === Number(digits[9]);
}

export interface DigitRun {
  start: number;
  end: number;
  digits: string;
}

// Ten digits, either contiguous or grouped 3-3-4 (also 3-7 or 6-4 when one separator is
// missing), each separator a single space, dash, dot, slash, underscore or no-break space.
// The quantifiers are fixed, so the scan is linear in the length of the text.
// A run right after "0." or before ".5" is the fraction or whole part of a decimal number.
const TEN_DIGITS =
  /(?<!\d|\d\.)\d{3}[ \u00a0\-\u2010-\u2015./_]?\d{3}[ \u00a0\-\u2010-\u2015./_]?\d{4}(?!\d|\.\d)/g;

/** Every ten-digit run shaped like an NHS number, valid or not; the detector decides. */
export function findTenDigitRuns(text: string): DigitRun[] {
  const runs: DigitRun[] = [];
  TEN_DIGITS.lastIndex = 0;
  for (let m = TEN_DIGITS.exec(text); m; m = TEN_DIGITS.exec(text)) {
    const raw = m[0];
    runs.push({ start: m.index, end: m.index + raw.length, digits: raw.replace(/\D/g, '') });
  }
  return runs;
}
