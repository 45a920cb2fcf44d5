import { describe, expect, it } from 'vitest';
import { isValidNhsNumber, nhsCheckDigit } from '../../src/guard/nhs-number.js';

describe('nhsCheckDigit', () => {
  it('computes the published example 943 476 591 → 9', () => {
    // 9×10 + 4×9 + 3×8 + 4×7 + 7×6 + 6×5 + 5×4 + 9×3 + 1×2 = 299; 299 mod 11 = 2; 11 − 2 = 9
    expect(nhsCheckDigit('943476591')).toBe(9);
  });

  it('maps a result of 11 to check digit 0', () => {
    // 2×10 + 1×2 = 22; 22 mod 11 = 0; 11 − 0 = 11 → 0
    expect(nhsCheckDigit('200000001')).toBe(0);
    expect(isValidNhsNumber('2000000010')).toBe(true);
    expect(nhsCheckDigit('000000000')).toBe(0);
  });

  it('returns null when the check would be 10, so no ten digits starting so are valid', () => {
    // 1×10 + 1×2 = 12; 12 mod 11 = 1; 11 − 1 = 10 → never issued
    expect(nhsCheckDigit('100000001')).toBeNull();
    for (let last = 0; last <= 9; last++) expect(isValidNhsNumber(`100000001${last}`)).toBe(false);
    // Neighbours behave normally: 1×2 = 2 → 9; 1×10 + 5×2 = 20 → 9 → 2
    expect(nhsCheckDigit('000000001')).toBe(9);
    expect(nhsCheckDigit('100000005')).toBe(2);
  });

  it('rejects input that is not nine digits', () => {
    expect(nhsCheckDigit('94347659')).toBeNull();
    expect(nhsCheckDigit('94347659a')).toBeNull();
    expect(nhsCheckDigit('9434765919')).toBeNull();
  });

  it('agrees with a direct implementation on many random prefixes', () => {
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 2000; i++) {
      const nine = String(next() % 1_000_000_000).padStart(9, '0');
      let sum = 0;
      for (let k = 0; k < 9; k++) sum += Number(nine[k]) * (10 - k);
      const raw = 11 - (sum % 11);
      const expected = raw === 11 ? 0 : raw === 10 ? null : raw;
      expect(nhsCheckDigit(nine)).toBe(expected);
      const valid = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].filter((d) => isValidNhsNumber(nine + d));
      expect(valid).toEqual(expected === null ? [] : [expected]);
    }
  });
});

describe('isValidNhsNumber', () => {
  it('accepts contiguous, spaced, dashed and dotted forms', () => {
    for (const v of ['9434765919', '943 476 5919', '943-476-5919', '943.476.5919', '943\u2013476\u20135919']) {
      expect(isValidNhsNumber(v), v).toBe(true);
    }
  });

  it('rejects a wrong check digit, wrong lengths and letters', () => {
    expect(isValidNhsNumber('9434765918')).toBe(false);
    expect(isValidNhsNumber('943476591')).toBe(false);
    expect(isValidNhsNumber('94347659190')).toBe(false);
    expect(isValidNhsNumber('943476591O')).toBe(false);
    expect(isValidNhsNumber('1234567890')).toBe(false);
  });
});
