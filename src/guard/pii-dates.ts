// Dates of birth: a date is only patient data when the words around it say it is a birth
// date. Meeting dates, deadlines and publication dates have no such cue and are left alone.

import { SpanSet, windowAfter, windowBefore, type Candidate } from './pii-context.js';

const MONTHS =
  'January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec';

// Every quantifier is bounded, so each start position costs a constant amount of work.
const FULL_DATES: RegExp[] = [
  /(?<![\d/.\-])(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})(?!\d|[/.\-]\d)/g,
  /(?<![\d/.\-])(\d{4})([/.\-])(\d{1,2})\2(\d{1,2})(?!\d|[/.\-]\d)/g,
  new RegExp(
    `(?<![\\w])\\d{1,2}(?:st|nd|rd|th)?(?:\\s{1,3}of)?[\\s\\-]{1,3}(?:${MONTHS})(?![a-z])\\.?,?[\\s\\-]{1,3}(?:\\d{4}|'\\d{2})(?!\\d)`,
    'gi',
  ),
  new RegExp(`(?<![\\w])(?:${MONTHS})(?![a-z])\\.?\\s{1,3}\\d{1,2}(?:st|nd|rd|th)?,?\\s{1,3}\\d{4}(?!\\d)`, 'gi'),
];

// Only a birth date when the cue sits right next to it: "born in May 1953", "DOB 19850412".
const PARTIAL_DATES: RegExp[] = [
  new RegExp(`(?<![\\w])(?:${MONTHS})(?![a-z])\\.?,?\\s{1,3}\\d{4}(?!\\d)`, 'gi'),
  /(?<![\w/.\-])(?:19|20)\d{2}(?![\w]|[/.\-]\d)/g,
  /(?<![\w])\d{8}(?![\w])/g,
];

const CUE =
  /\b(?:dob\b|d\.\s?o\.\s?b\b\.?|date[\s\-]+of[\s\-]+birth\b|birth[\s\-]?date\b|born\b|birthday\b|year\s+of\s+birth\b)/gi;

// What may stand between a cue and its date: punctuation and a few small words, nothing else.
// "date of birth fields must be removed by 31 March 2025" fails here, as it should.
const FILLER =
  /^[\s:=\-\u2013\u2014,.()'"]*(?:(?:is|was|on|in|the|of|for|patient|patient's|pt|his|her|their|my|being|listed|recorded|given|as|reads|shown|stated|documented|noted)\b[\s:=\-\u2013\u2014,.()'"]*){0,5}$/i;
const PARTIAL_FILLER = /^[\s:=\-\u2013,(]*(?:(?:in|is|was|of)\s{1,3}){0,2}$/i;

// "The NHS was born on 5 July 1948", "our company was born in 2019": not a person.
const ORGANISATION_SUBJECT =
  /\b(?:NHS|service|trust|scheme|programme|company|organisation|startup|start-up|business|idea|initiative|project|network|partnership|charity|product|app|platform|it|this|that)(?:['\u2019]s)?\s+(?:was\s+|were\s+|is\s+)?$/i;
const ORDINAL_BEFORE = /\b\d{1,3}(?:st|nd|rd|th)\s+$/i;
// "23.01.1966 (DOB)": a trailing label, but not the cue of the next date ("seen 12/01/2023, DOB
// 14/07/1952"), nor of a date already redacted (the block character is a masked placeholder).
const CUE_AFTER =
  /^\s{0,2}[(\[,\-\u2013]?\s{0,2}(?:dob\b|d\.\s?o\.\s?b\b\.?|date\s+of\s+birth\b|birth\s?date\b)(?![\s:=\-\u2013.]{0,4}[\d\u2588])/i;

const isDay = (n: number) => n >= 1 && n <= 31;
const isMonth = (n: number) => n >= 1 && n <= 12;

function plausibleNumericDate(value: string): boolean {
  const parts = value.split(/[/.\-]/);
  const [a = NaN, b = NaN, c = NaN] = parts.map(Number);
  if (parts[0]!.length === 4) return isMonth(b) && isDay(c);
  // Day-month (UK) or month-day (US); either reading will do.
  return (isDay(a) && isMonth(b)) || (isMonth(a) && isDay(b));
}

function plausibleCompact(value: string): boolean {
  const dmy = isDay(Number(value.slice(0, 2))) && isMonth(Number(value.slice(2, 4))) && /^(?:19|20)/.test(value.slice(4));
  const ymd = /^(?:19|20)/.test(value) && isMonth(Number(value.slice(4, 6))) && isDay(Number(value.slice(6)));
  return dmy || ymd;
}

/** True when the date at [start, end) reads as someone's date of birth. */
function hasBirthCue(text: string, start: number, end: number, filler: RegExp): boolean {
  const before = windowBefore(text, start, 60);
  let last: RegExpExecArray | null = null;
  CUE.lastIndex = 0;
  for (let m = CUE.exec(before); m; m = CUE.exec(before)) last = m;
  if (last) {
    const gap = before.slice(last.index + last[0].length);
    const lead = before.slice(0, last.index);
    const word = last[0].toLowerCase();
    const aboutAnOrganisation =
      (word === 'born' || word === 'birthday') && (ORGANISATION_SUBJECT.test(lead) || ORDINAL_BEFORE.test(lead));
    if (filler.test(gap) && !aboutAnOrganisation) return true;
  }
  return filler === FILLER && CUE_AFTER.test(windowAfter(text, end, 20));
}

export function findDatesOfBirth(text: string): Candidate[] {
  const found: Candidate[] = [];
  // Every date seen, birth date or not, so a year inside "12 March 1984" is not read again.
  const taken = new SpanSet(text.length);
  const claimed = new SpanSet(text.length);
  for (const [index, re] of FULL_DATES.entries()) {
    const numeric = index < 2;
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const start = m.index;
      const end = start + m[0].length;
      taken.add(start, end);
      if (numeric && !plausibleNumericDate(m[0])) continue;
      if (!claimed.overlaps(start, end) && hasBirthCue(text, start, end, FILLER)) {
        claimed.add(start, end);
        found.push({ kind: 'date_of_birth', start, end });
      }
    }
  }
  for (const re of PARTIAL_DATES) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const start = m.index;
      const end = start + m[0].length;
      if (taken.overlaps(start, end)) continue;
      if (/^\d{8}$/.test(m[0]) && !plausibleCompact(m[0])) continue;
      taken.add(start, end);
      if (hasBirthCue(text, start, end, PARTIAL_FILLER)) found.push({ kind: 'date_of_birth', start, end });
    }
  }
  return found;
}
