// Contact details: phone numbers, email addresses and postcodes. In guidance text these are
// usually an organisation's (a helpline, an office address), which is not patient data.

import { looksOrganisational, windowAfter, windowBefore, type Candidate } from './pii-context.js';
import type { PiiContext } from './pii-types.js';

// ---------- phone numbers ----------

// A run of digits and phone punctuation, bounded so each attempt reads at most 30 characters.
const PHONE_RUN = /(?<![\w@/+\-.])\+?\(?\d[\d ()\-.\u00a0\u2010-\u2013]{0,28}/g;
const DIGIT_GROUP = /\d+/g;

// Lines that serve the public, not a person: non-geographic 03/08/09 numbers.
const NON_GEOGRAPHIC = /^0[389]/;
const SERVICE_CUE =
  /\b(?:helpline|help line|line|switchboard|service desk|freephone|call centre|contact centre|customer services?|enquiries|NHS 111|advice line|support desk)\b/i;

interface Group {
  start: number;
  end: number;
  digits: string;
}

export interface PhoneCandidate extends Candidate {
  /** The number in national form (leading 0) when it is a UK number; null for other countries. */
  national: string | null;
}

/** Every phone-shaped number: UK national (10–11 digits), +44 / 0044, and other +CC numbers. */
export function findPhones(text: string): PhoneCandidate[] {
  const found: PhoneCandidate[] = [];
  PHONE_RUN.lastIndex = 0;
  for (let m = PHONE_RUN.exec(text); m; m = PHONE_RUN.exec(text)) {
    const run = m[0];
    const groups: Group[] = [];
    DIGIT_GROUP.lastIndex = 0;
    for (let g = DIGIT_GROUP.exec(run); g; g = DIGIT_GROUP.exec(run)) {
      groups.push({ start: m.index + g.index, end: m.index + g.index + g[0].length, digits: g[0] });
    }
    parseGroups(text, groups, found);
  }
  return found;
}

function parseGroups(text: string, groups: Group[], out: PhoneCandidate[]): void {
  let i = 0;
  while (i < groups.length) {
    const first = groups[i]!;
    const lead = text.slice(i === 0 ? Math.max(0, first.start - 2) : groups[i - 1]!.end, first.start);
    // "0.0123456789" is a decimal fraction: a number never starts right after "digit.".
    if (i > 0 && lead === '.') {
      i++;
      continue;
    }
    const plus = lead.includes('+');
    const intl = plus || (/^00[1-9]/.test(first.digits) && first.digits.length >= 4);
    const parsed = intl ? parseInternational(text, groups, i, plus) : parseNational(text, groups, i);
    if (!parsed) {
      i++;
      continue;
    }
    const last = groups[parsed.lastGroup]!;
    let start = first.start;
    if (plus) start = text.lastIndexOf('+', first.start);
    else if (text[first.start - 1] === '(') start = first.start - 1;
    out.push({ kind: 'phone', start, end: last.end, national: parsed.national });
    i = parsed.lastGroup + 1;
  }
}

interface Parsed {
  lastGroup: number;
  national: string | null;
}

function gapOk(text: string, a: Group, b: Group): boolean {
  return b.start - a.end <= 3 && /^[ ()\-.\u00a0\u2010-\u2013]*$/.test(text.slice(a.end, b.start));
}

/** Collects following groups while the digit count stays within `max`. */
function collect(text: string, groups: Group[], from: number, have: number, max: number): { last: number; count: number } {
  let count = have;
  let last = from;
  for (let j = from + 1; j < groups.length; j++) {
    const g = groups[j]!;
    if (!gapOk(text, groups[j - 1]!, g) || count + g.digits.length > max) break;
    count += g.digits.length;
    last = j;
  }
  return { last, count };
}

function parseNational(text: string, groups: Group[], i: number): Parsed | null {
  const first = groups[i]!;
  // Area codes have at least three digits (020, 0113, 07700); "01.02.2024" is a date.
  if (!/^0[1235789]/.test(first.digits) || first.digits.length < 3) return null;
  const { last, count } = collect(text, groups, i, first.digits.length, 11);
  if (count < 10) return null;
  const national = groups.slice(i, last + 1).map((g) => g.digits).join('');
  return { lastGroup: last, national };
}

function parseInternational(text: string, groups: Group[], i: number, plus: boolean): Parsed | null {
  const first = groups[i]!;
  const cc = plus ? first.digits : first.digits.slice(2);
  if (cc.startsWith('44')) {
    // +44 then an optional "(0)" trunk prefix, then a 9–10 digit national significant number.
    let digits = cc.slice(2);
    let j = i;
    if (digits === '' && groups[j + 1]?.digits === '0' && gapOk(text, first, groups[j + 1]!)) j++;
    const { last, count } = collect(text, groups, j, digits.length, 10);
    if (count < 9) return null;
    digits += groups.slice(j + 1, last + 1).map((g) => g.digits).join('');
    if (!/^[1-9]/.test(digits)) return null;
    return { lastGroup: last, national: '0' + digits };
  }
  const { last, count } = collect(text, groups, i, cc.length, 15);
  if (count < 9 || /^0/.test(cc)) return null;
  return { lastGroup: last, national: null };
}

/** Whether a phone number is a service line that does not identify anyone. */
export function isServiceLine(text: string, phone: PhoneCandidate, context: PiiContext): boolean {
  if (context === 'knowledge') {
    // An address block can run to a hundred characters before its telephone line.
    const before = windowBefore(text, phone.start, 160);
    if (phone.national && NON_GEOGRAPHIC.test(phone.national)) return true;
    // Mobiles (07…) in guidance are a person's; landlines and overseas numbers are an
    // organisation's when it is named before or just after ("0113 825 0000 (switchboard)").
    if (phone.national?.startsWith('07')) return false;
    return looksOrganisational(before) || looksOrganisational(windowAfter(text, phone.end, 50));
  }
  const before = windowBefore(text, phone.start, 80);
  return phone.national !== null && NON_GEOGRAPHIC.test(phone.national) && SERVICE_CUE.test(before);
}

// ---------- email addresses ----------

// The local part and each label have fixed upper bounds and dots separate labels, so no
// input can make this backtrack more than a constant amount per position.
// An apostrophe may sit inside a local part (o'brien@…) but a quote before it is punctuation.
const EMAIL =
  /(?<![\w.+\-%]|\w')[\w.+\-%][\w.+\-'%]{0,63}@[A-Za-z0-9][A-Za-z0-9\-]{0,62}(?:\.[A-Za-z0-9\-]{1,63}){1,8}/g;

// Shared mailboxes of an organisation; in guidance these are contact points, not people.
const ROLE_WORD =
  /^(?:enquiries|enquiry|contact|contactus|info|information|support|help|helpdesk|team|office|admin|dpo|foi|ig|data|privacy|governance|feedback|communications|comms|press|media|hello|general|queries|service|services|mailbox|noreply|webmaster|secretariat|england|digital|research|approvals|generalenquiries)$/i;

export function findEmails(text: string): Candidate[] {
  const found: Candidate[] = [];
  EMAIL.lastIndex = 0;
  for (let m = EMAIL.exec(text); m; m = EMAIL.exec(text)) {
    let value = m[0];
    // A label may not end in '-', and the address does not include sentence punctuation.
    value = value.replace(/[.\-]+$/, '');
    const tld = value.slice(value.lastIndexOf('.') + 1);
    if (!/^[A-Za-z]{2,24}$/.test(tld)) continue;
    const start = m.index + (value.startsWith('.') ? 1 : 0);
    found.push({ kind: 'email', start, end: m.index + value.length });
  }
  return found;
}

/**
 * A shared mailbox: a role word in the local part ("enquiries@…"), or a local part that is an
 * acronym the document uses ("SBRI Healthcare … sbri@lgcgroup.com"). Lower-case names do not
 * count, so "Contact Kate (kate@…)" stays a person's address.
 */
export function isGenericMailbox(address: string, acronyms: ReadonlySet<string>): boolean {
  const local = address.slice(0, address.indexOf('@'));
  if (local.split(/[._\-+]/).some((part) => ROLE_WORD.test(part))) return true;
  return acronyms.has(local.toUpperCase());
}

/** The all-capital words of a text (SBRI, NICE, MHRA), collected once per text. */
export function acronymsIn(text: string): Set<string> {
  return new Set(text.match(/\b[A-Z]{3,10}\b/g) ?? []);
}

// ---------- postcodes ----------

// UK postcode areas: the outward code must start with one, which rules out most look-alikes.
const AREAS = new Set(
  (
    'AB AL B BA BB BD BF BH BL BN BR BS BT BX CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY ' +
    'E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE LL LN ' +
    'LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP ' +
    'SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE'
  ).split(' '),
);

// Outward code, optional single space, inward code (digit + two letters never C I K M O V).
const POSTCODE =
  /(?<![A-Za-z0-9])([A-Za-z]{1,2})(\d[A-Za-z\d]?)[ \u00a0]?(\d[ABD-HJLNP-UW-Zabd-hjlnp-uw-z]{2})(?![A-Za-z0-9])/g;

export function findPostcodes(text: string): Candidate[] {
  const found: Candidate[] = [];
  POSTCODE.lastIndex = 0;
  for (let m = POSTCODE.exec(text); m; m = POSTCODE.exec(text)) {
    const [whole, area = '', district = '', inward = ''] = m;
    const letters = (area + district + inward).replace(/[^A-Za-z]/g, '');
    // Mixed case ("Ab1 2Cd") is prose or a code, not a postcode someone typed.
    if (letters !== letters.toUpperCase() && letters !== letters.toLowerCase()) continue;
    if (!AREAS.has(area.toUpperCase())) continue;
    // "B12 3rd floor": a lower-case ordinal is not an inward code.
    if (/^\d(?:st|nd|rd|th)$/.test(inward)) continue;
    found.push({ kind: 'postcode', start: m.index, end: m.index + whole.length });
  }
  return found;
}
