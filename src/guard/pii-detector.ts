// The one entry point for finding patient-identifiable data. Each kind has its own finder;
// this file adds the NHS-number rules, the guidance-text exemptions and resolves overlaps.

import { acronymsIn, findEmails, findPhones, findPostcodes, isGenericMailbox, isServiceLine } from './pii-contact.js';
import {
  looksOrganisational,
  maskPlaceholders,
  SpanIndex,
  SpanSet,
  windowAfter,
  windowBefore,
  type Candidate,
} from './pii-context.js';
import { findDatesOfBirth } from './pii-dates.js';
import { findHospitalNumbers, findNiNumbers, findPatientNames } from './pii-person.js';
import { findTenDigitRuns, isValidNhsNumber, type DigitRun } from './nhs-number.js';
import type { PiiFinding, PiiKind, PiiOptions } from './pii-types.js';

// When two findings overlap, the more specific kind wins: a checksum beats a shape.
const PRIORITY: readonly PiiKind[] = [
  'nhs_number',
  'ni_number',
  'email',
  'hospital_number',
  'date_of_birth',
  'phone',
  'postcode',
  'patient_name',
];

// A number dialled with a country code is a phone number even if its digits pass modulus 11.
const DIALLING_PREFIX = /(?:\+|\b00)\d{1,3}[\s\-.]?(?:\(0\)\s?)?$/;
const PHONE_WORD = /\b(?:tel|telephone|phone|mobile|mob|call|ring|text|landline|fax)\b\D{0,12}$/i;

// A ten-digit number that the writer labels as something else (an invoice, a purchase order,
// a courier's tracking number) is that thing, unless patient words sit beside it.
const OTHER_REFERENCE =
  /\b(?:invoice|inv|order|po|purchase\s+order|ticket|case\s+ref(?:erence)?|ref|reference|account|acct|tracking|isbn|batch|lot|serial|timestamp|epoch|duns|vat|companies\s+house|company\s+(?:no|number)|charity\s+(?:no|number)|sort\s+code|sku|part|model|catalogue|item|product\s+code)\b/gi;
const REFERENCE_AFTER =
  /^\s{0,2}(?:[a-z]{1,12}\s{1,3}){0,3}(?:bytes|rows|records|seconds|ms|invoice|order|reference|ref|ticket|account|companies\s+house)\b/i;
const SENTENCE_END = /[.!?]\s+(?=[A-Z])|\n/g;
const PATIENT_WORD = /\b(?:nhs|patient|pt|mr|mrs|ms|miss|dob|born|person|resident|his|her|their)\b/i;

function isNhsNumber(text: string, run: DigitRun): boolean {
  if (!isValidNhsNumber(run.digits)) return false;
  const before = windowBefore(text, run.start, 40);
  if (DIALLING_PREFIX.test(before.slice(-12))) return false;
  if (run.digits.startsWith('0') && PHONE_WORD.test(before)) return false;
  return !labelledAsOtherReference(text, run, before);
}

function labelledAsOtherReference(text: string, run: DigitRun, before: string): boolean {
  // The current sentence only; "no. 123" and "Ref. 123" do not end one.
  let from = 0;
  SENTENCE_END.lastIndex = 0;
  for (let m = SENTENCE_END.exec(before); m; m = SENTENCE_END.exec(before)) from = m.index + m[0].length;
  const clause = before.slice(from);
  let last: RegExpExecArray | null = null;
  OTHER_REFERENCE.lastIndex = 0;
  for (let m = OTHER_REFERENCE.exec(clause); m; m = OTHER_REFERENCE.exec(clause)) last = m;
  if (last) {
    const gap = clause.slice(last.index + last[0].length);
    const words = gap.trim().split(/\s+/).filter(Boolean).length;
    if (!/\d/.test(gap) && words <= 5 && !PATIENT_WORD.test(gap)) return true;
  }
  const after = windowAfter(text, run.end, 60);
  return REFERENCE_AFTER.test(after) && !PATIENT_WORD.test(after.slice(0, 30));
}

const PATIENT_KINDS: ReadonlySet<PiiKind> = new Set(['nhs_number', 'date_of_birth', 'hospital_number', 'ni_number']);

/**
 * Finds patient-identifiable data in `text`. Findings do not overlap and are sorted by start.
 * `context: 'knowledge'` exempts organisation addresses, service lines and shared mailboxes.
 */
export function detectPii(text: string, options: PiiOptions = {}): PiiFinding[] {
  const context = options.context ?? 'user';
  if (text.length === 0) return [];
  const scan = maskPlaceholders(text);
  const candidates: Candidate[] = [];

  for (const run of findTenDigitRuns(scan)) {
    if (isNhsNumber(scan, run)) candidates.push({ kind: 'nhs_number', start: run.start, end: run.end });
  }
  candidates.push(...findNiNumbers(scan), ...findHospitalNumbers(scan), ...findDatesOfBirth(scan));
  const patientData = new SpanIndex(candidates.filter((c) => PATIENT_KINDS.has(c.kind)));
  const near = (c: Candidate, distance: number) => patientData.near(c.start, c.end, distance);

  const emails = findEmails(scan);
  const acronyms = context === 'knowledge' && emails.length > 0 ? acronymsIn(scan) : new Set<string>();
  for (const email of emails) {
    if (context === 'knowledge' && isGenericMailbox(scan.slice(email.start, email.end), acronyms)) continue;
    candidates.push(email);
  }
  for (const phone of findPhones(scan)) {
    if (!isServiceLine(scan, phone, context)) candidates.push(phone);
  }
  for (const postcode of findPostcodes(scan)) {
    const organisational =
      context === 'knowledge' && looksOrganisational(windowBefore(scan, postcode.start, 120)) && !near(postcode, 120);
    if (!organisational) candidates.push(postcode);
  }
  for (const name of findPatientNames(scan)) {
    if (!name.needsCorroboration || near(name, 200)) candidates.push({ kind: name.kind, start: name.start, end: name.end });
  }

  return resolveOverlaps(candidates, text.length).map((c) => ({
    kind: c.kind,
    start: c.start,
    end: c.end,
    value: text.slice(c.start, c.end),
  }));
}

function resolveOverlaps(candidates: Candidate[], length: number): Candidate[] {
  const rank = (c: Candidate) => PRIORITY.indexOf(c.kind);
  const ordered = [...candidates].sort((a, b) => rank(a) - rank(b) || a.start - b.start || b.end - a.end);
  const claimed = new SpanSet(length);
  const kept: Candidate[] = [];
  for (const c of ordered) {
    if (c.end <= c.start || claimed.overlaps(c.start, c.end)) continue;
    claimed.add(c.start, c.end);
    kept.push(c);
  }
  return kept.sort((a, b) => a.start - b.start);
}
