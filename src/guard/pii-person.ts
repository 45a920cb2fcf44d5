// Identifiers of a person that need no arithmetic: National Insurance numbers (by their
// allocation rules), hospital numbers (only after a cue) and names introduced as a patient's.

import { windowBefore, type Candidate } from './pii-context.js';

// ---------- National Insurance numbers ----------

const NI_NUMBER =
  /(?<![A-Za-z0-9])([A-Za-z])([A-Za-z])[ \-]?\d{2}[ \-]?\d{2}[ \-]?\d{2}[ \-]?([A-Da-d])(?![A-Za-z0-9])/g;
const NI_BAD_LETTER = /[DFIQUV]/;
const NI_UNALLOCATED = new Set(['BG', 'GB', 'NK', 'KN', 'TN', 'NT', 'ZZ']);

export function findNiNumbers(text: string): Candidate[] {
  const found: Candidate[] = [];
  NI_NUMBER.lastIndex = 0;
  for (let m = NI_NUMBER.exec(text); m; m = NI_NUMBER.exec(text)) {
    const letters = `${m[1]}${m[2]}${m[3]}`;
    if (letters !== letters.toUpperCase() && letters !== letters.toLowerCase()) continue;
    const prefix = `${m[1]}${m[2]}`.toUpperCase();
    if (NI_BAD_LETTER.test(prefix) || prefix[1] === 'O' || NI_UNALLOCATED.has(prefix)) continue;
    found.push({ kind: 'ni_number', start: m.index, end: m.index + m[0].length });
  }
  return found;
}

// ---------- hospital numbers ----------

const HOSPITAL_CUE =
  '(?:MRN|M\\.R\\.N\\.?|medical\\s+record\\s+(?:number|no\\.?)|hospital\\s+(?:number|no\\.?|num|id)|hosp\\.?\\s*(?:no\\.?|number|num)|patient\\s+(?:id|identifier|number|no\\.?)|unit\\s+(?:number|no\\.?)|case\\s*note\\s+(?:number|no\\.?)|PAS\\s+(?:number|no\\.?|id))';
// A trust prefix of up to four letters, then digits (one inner space or dash allowed), maybe a check letter.
const HOSPITAL_ID = '(?:[A-Z]{1,4}[\\-/ ]?)?\\d{3,12}(?:[\\- ]\\d{3,8})?[A-Z]?';
const HOSPITAL_AFTER_CUE = new RegExp(
  `\\b${HOSPITAL_CUE}(?![A-Za-z])[\\s:=#\\-\\u2013.]{0,4}(?:(?:is|was|for|him|her|them|this|the|patient|no\\.?|number|num)\\s{1,3}){0,3}(${HOSPITAL_ID})(?![\\w\\-/])`,
  'gi',
);
const HOSPITAL_BEFORE_CUE = new RegExp(
  `(?<![\\w\\-/])(${HOSPITAL_ID})\\s{0,2}\\((?:MRN|hospital\\s+(?:number|no\\.?))\\)`,
  'gi',
);

function plausibleHospitalId(id: string): boolean {
  const digits = id.replace(/\D/g, '').length;
  const prefix = /^[A-Za-z]+/.exec(id)?.[0] ?? '';
  if (/^(?:is|was|no|id|of|the|for)$/i.test(prefix)) return false;
  // Five or more digits on their own, or four after a trust prefix ("RXX1234").
  return digits >= 5 || (digits >= 4 && prefix.length > 0);
}

export function findHospitalNumbers(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const re of [HOSPITAL_AFTER_CUE, HOSPITAL_BEFORE_CUE]) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const id = m[1] ?? '';
      if (!plausibleHospitalId(id)) continue;
      // The identifier ends the cue form and starts the "(MRN)" form.
      const start = re === HOSPITAL_AFTER_CUE ? m.index + m[0].length - id.length : m.index;
      found.push({ kind: 'hospital_number', start, end: start + id.length });
    }
  }
  return found;
}

// ---------- patient names ----------

const TITLE = /(?:mr|mrs|ms|miss|mx|master|dr)\.?(?=\s)/iy;
const CAPITALISED = /(?:Mc|Mac|O['\u2019]|D['\u2019])?[A-Z\u00c0-\u00de][a-z\u00df-\u00f6\u00f8-\u00ff]+(?:-[A-Z\u00c0-\u00de][a-z\u00df-\u00f6\u00f8-\u00ff]+)?/y;
const LOWER = /(?:[a-z]['\u2019])?[a-z\u00df-\u00f6\u00f8-\u00ff]{2,30}(?:-[a-z\u00df-\u00f6\u00f8-\u00ff]{2,30})?/y;
const SPACE = /[ \t\u00a0]{1,3}/y;
// An initial counts only when a surname follows: "Mr A. Khan", "patient J Smith".
const INITIAL = /[A-Z]\.?(?=[ \t\u00a0]{1,3}(?:Mc|Mac|O['\u2019])?[A-Z][a-z])/y;

// Capitalised words that follow "patient" in ordinary prose and are not names.
const NOT_A_NAME = new Set(
  (
    'The This That These Those In On At For From With And But Or If When Who What Which Where Why How He She They We You It ' +
    'His Her Their Our My Your Is Was Has Had Can Could Would Should Will May Might Must Do Does Did Not No Yes Please Thanks ' +
    'Hi Hello Dear Regards Also Then So As To By Of Via Per About After Before Under Over All Any Each Every Some Other ' +
    'Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April June July August September ' +
    'October November December Safety Data Advice Liaison Service Services Experience Information Record Records Portal Panel ' +
    'Group Forum Voice Voices Participation Partners Partner Access Level Identifiable Identifier Identifiers Demographic ' +
    'Demographics Online App Zero Care Flow Journey Pathway Pathways Choice Charter Notes Summary Administration Transport ' +
    'Initiated Public Involvement Engagement Reported Outcome Outcomes Measures Knows Best Association Council Network Survey ' +
    'Feedback Story Stories Leader Leaders Champion Champions Day Week Month Education Consent Registry Register List Lists ' +
    'Index Number Numbers Harm Incident Incidents Response Framework Support Hub Centre Insight Insights Representative ' +
    'Representatives Rights Confidentiality Led Facing Focused Centred Centered Management System Systems Platform Trusts Trust ' +
    'Ward Clinic Hospital Practice Surgery Admin Administrator Registration Records Identification Details Detail Flow Flows ' +
    'Zone Group Groups Population Populations Cohort Level Levels Benefit Benefits Value Values Understanding'
  ).split(' '),
);

// People and organisations whose names are public and appear in guidance, never patients.
const PUBLIC_NAMES = new Set(
  'Caldicott Goldacre Bevan Topol Wachter Hancock Javid Streeting Bell Skin Analytics DeepMind Google Palantir Babylon Sensyne Moorfields Alder Hey'.split(
    ' ',
  ),
);

export interface NameMatch {
  start: number;
  end: number;
  tokens: string[];
  titled: boolean;
}

/** Reads "[title] Name [Name [Name]]" starting at `from`; null when there is no name there. */
export function readName(text: string, from: number): NameMatch | null {
  let pos = from;
  let titled = false;
  let lowerTitle = false;
  TITLE.lastIndex = pos;
  const title = TITLE.exec(text);
  if (title) {
    titled = true;
    lowerTitle = title[0] === title[0].toLowerCase();
    SPACE.lastIndex = pos + title[0].length;
    if (!SPACE.exec(text)) return null;
    pos = SPACE.lastIndex;
  }
  const tokens: string[] = [];
  const ends: number[] = [];
  while (tokens.length < 4) {
    const re = lowerTitle ? LOWER : CAPITALISED;
    re.lastIndex = pos;
    let token = re.exec(text);
    if (!token && !lowerTitle) {
      INITIAL.lastIndex = pos;
      token = INITIAL.exec(text);
    }
    if (!token || NOT_A_NAME.has(capitalise(token[0]))) break;
    tokens.push(token[0]);
    ends.push(pos + token[0].length);
    SPACE.lastIndex = pos + token[0].length;
    if (!SPACE.exec(text)) break;
    pos = SPACE.lastIndex;
  }
  // A name cannot end in an initial: "Patient A. Then …" is not a name.
  while (tokens.length > 0 && /^[A-Z]\.?$/.test(tokens[tokens.length - 1]!)) {
    tokens.pop();
    ends.pop();
  }
  if (tokens.length === 0) return null;
  if (tokens.some((t) => PUBLIC_NAMES.has(capitalise(t)))) return null;
  const end = ends[ends.length - 1]!;
  return { start: from, end, tokens, titled };
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
}

// "patient John Smith", "my patient, Mrs Jane Doe", "the patient's name is …", "pt Ravi Menon",
// "a patient called Tom Hughes". The cue ends where the name should begin.
const NAME_CUE =
  /\b(?:patient|pt)(?:['\u2019]s\s{1,3}name\b|\s{1,3}name\b)?(?:\s{0,3}(?:(?:is|was|called|named)\b|[:,=\-\u2013])){0,2}\s{0,3}/gi;
// "Mr Ahmed (patient)", "Mrs Kowalski, a patient on Ward 12", "… is a patient of ours".
const PATIENT_AFTER =
  /\s{0,2}\((?:the |a |our |my )?patient(?:\s{1,3}(?:of|at|on|under)\b[^()]{0,40})?\)|,\s{1,3}(?:a|the|our|my)\s{1,3}patient\b|\s{1,3}(?:is|was)\s{1,3}(?:a|the|our|my)\s{1,3}patient\b/gi;
const NAME_BEFORE =
  /(?:\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s{1,3})?(?:Mc|Mac|O['\u2019])?[A-Z][a-z\u00df-\u00ff]+(?:-[A-Z][a-z\u00df-\u00ff]+)?(?:\s{1,3}(?:Mc|Mac|O['\u2019])?[A-Z][a-z\u00df-\u00ff]+(?:-[A-Z][a-z\u00df-\u00ff]+)?){0,2}$/;
// "Mrs Okafor's NHS number …": a titled name owning an identifier.
const TITLED_POSSESSIVE =
  /\b(?:Mr|Mrs|Ms|Miss|Mx)\.?\s{1,3}[A-Z][A-Za-z\u00df-\u00ff'\u2019\-]{1,30}(?=['\u2019]s\s{1,3}(?:NHS\s{1,3}(?:number|no)|DOB|date\s{1,3}of\s{1,3}birth|MRN|hospital\s{1,3}number|NI\s{1,3}number|address|postcode|mobile|phone))/g;
// "Mrs Begum (MRN 3390127)", "Mr Lee, NHS 943 476 5919": a titled name labelled by an identifier.
const TITLED_WITH_IDENTIFIER =
  /\b(?:Mr|Mrs|Ms|Miss|Mx)\.?\s{1,3}[A-Z][A-Za-z\u00df-\u00ff'\u2019\-]{1,30}(?:\s{1,3}[A-Z][A-Za-z\u00df-\u00ff'\u2019\-]{1,30}){0,2}(?=(?:\s{0,2},\s{0,2}\d{1,3}(?:\s{0,2}(?:y|yo|yrs|years(?:\s+old)?))?)?\s{0,2}[(,\-\u2013/]\s{0,2}(?:MRN|NHS|DOB|D\.O\.B|date\s{1,3}of\s{1,3}birth|hospital\s{1,3}(?:number|no)|hosp\b|born|aged\s{1,3}\d))/g;
// "Name: Aisha Rahman" is only a patient's name when other patient data sits beside it.
const NAME_LABEL = /\bname\s{0,2}[:=\-\u2013]\s{0,3}/gi;

export interface NameCandidate extends Candidate {
  /** True for "Name: …" labels, which count only next to other patient data. */
  needsCorroboration: boolean;
}

export function findPatientNames(text: string): NameCandidate[] {
  const found: NameCandidate[] = [];
  const push = (start: number, end: number, needsCorroboration = false) =>
    found.push({ kind: 'patient_name', start, end, needsCorroboration });

  NAME_CUE.lastIndex = 0;
  for (let m = NAME_CUE.exec(text); m; m = NAME_CUE.exec(text)) {
    const name = readName(text, m.index + m[0].length);
    if (!name) continue;
    // After a bare comma ("for each patient, Trusts must…") one capitalised word is too weak.
    const afterComma = /,\s*$/.test(m[0]);
    if (afterComma && !name.titled && name.tokens.length < 2) continue;
    push(name.start, name.end);
  }

  PATIENT_AFTER.lastIndex = 0;
  for (let m = PATIENT_AFTER.exec(text); m; m = PATIENT_AFTER.exec(text)) {
    const before = windowBefore(text, m.index, 60);
    const hit = NAME_BEFORE.exec(before);
    if (!hit) continue;
    // The widest run of capitalised words may start with one that is not a name
    // ("Hello Mr Ahmed"), so try each word start until a name ends right at the cue.
    const base = m.index - before.length + hit.index;
    for (const w of hit[0].matchAll(/(?:^|\s)(?=\S)/g)) {
      const name = readName(text, base + w.index + w[0].length);
      if (!name || name.end !== m.index) continue;
      if (name.titled || name.tokens.length >= 2) push(name.start, name.end);
      break;
    }
  }

  for (const re of [TITLED_POSSESSIVE, TITLED_WITH_IDENTIFIER]) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const name = readName(text, m.index);
      if (name) push(name.start, name.end);
    }
  }

  NAME_LABEL.lastIndex = 0;
  for (let m = NAME_LABEL.exec(text); m; m = NAME_LABEL.exec(text)) {
    const name = readName(text, m.index + m[0].length);
    if (name && name.tokens.length >= 2) push(name.start, name.end, true);
  }
  return found;
}
