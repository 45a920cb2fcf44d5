import { describe, expect, it } from 'vitest';
import { detectPii, type PiiContext, type PiiKind } from '../../src/guard/index.js';

const found = (text: string, context: PiiContext = 'user') =>
  detectPii(text, { context }).map((f) => [f.kind, f.value] as [PiiKind, string]);
const only = (kind: PiiKind, text: string, context: PiiContext = 'user') =>
  found(text, context).filter(([k]) => k === kind).map(([, v]) => v);

describe('detectPii: shape of the result', () => {
  it('returns sorted, non-overlapping findings whose value is the text at their offsets', () => {
    const text = 'Mrs Gloria Bennett (patient), NHS 7283493921, DOB 16/08/1949, W2 5EU, 07700 900882, g.b@gmail.com';
    const findings = detectPii(text);
    expect(findings.map((f) => f.kind)).toEqual(['patient_name', 'nhs_number', 'date_of_birth', 'postcode', 'phone', 'email']);
    for (const [i, f] of findings.entries()) {
      expect(text.slice(f.start, f.end)).toBe(f.value);
      if (i > 0) expect(f.start).toBeGreaterThanOrEqual(findings[i - 1]!.end);
    }
  });

  it('finds nothing in an empty string or plain prose', () => {
    expect(detectPii('')).toEqual([]);
    expect(detectPii('What do the five guiding principles say about fair terms for the NHS?')).toEqual([]);
  });

  it('defaults to the user context', () => {
    const text = 'NHS England, Wellington House, 133-155 Waterloo Road, London SE1 8UG';
    expect(detectPii(text)).toEqual(detectPii(text, { context: 'user' }));
    expect(only('postcode', text)).toEqual(['SE1 8UG']);
    expect(only('postcode', text, 'knowledge')).toEqual([]);
  });
});

describe('NHS numbers', () => {
  it('finds valid numbers in every grouping and separator', () => {
    for (const v of ['9434765919', '943 476 5919', '943-476-5919', '943.476.5919', '943/476/5919', '943 4765919', '943\u00a0476\u00a05919']) {
      expect(only('nhs_number', `number ${v} here`), v).toEqual([v]);
    }
  });

  it('finds them at the start, the end and inside punctuation', () => {
    expect(only('nhs_number', '4010232137 is on the letter')).toEqual(['4010232137']);
    expect(only('nhs_number', 'the letter says 401 023 2137.')).toEqual(['401 023 2137']);
    expect(only('nhs_number', '{"nhs":"4010232137"}')).toEqual(['4010232137']);
    expect(only('nhs_number', '(NHS 401-023-2137)')).toEqual(['401-023-2137']);
  });

  it('finds them in guidance text too', () => {
    expect(only('nhs_number', 'For example, NHS number 943 476 5919 identifies one patient.', 'knowledge')).toEqual(['943 476 5919']);
  });

  it('leaves ten-digit numbers that fail modulus 11 alone', () => {
    expect(found('Check 943 476 5918 please')).toEqual([]);
    expect(found('An NHS number looks like 123 456 7890.', 'knowledge')).toEqual([]);
    // nine digits whose check would be 10: no ten-digit completion is valid
    for (let d = 0; d <= 9; d++) expect(found(`ref 100000001${d}`)).toEqual([]);
  });

  it('does not read longer digit runs or decimals as NHS numbers', () => {
    expect(found('SNOMED 94347659190 and 19434765919')).toEqual([]);
    expect(found('the ratio was 0.9434765919')).toEqual([]);
  });

  it('leaves a number the writer labels as an invoice, order or tracking number', () => {
    // 9434765919 passes modulus 11, but here it is an order number.
    expect(found('Purchase order 9434765919 is unpaid')).toEqual([]);
    expect(found('Invoice no. 9434765919')).toEqual([]);
    expect(found('9434765919 bytes transferred')).toEqual([]);
  });

  it('still flags a labelled reference when patient words sit beside it', () => {
    expect(only('nhs_number', 'Ref: patient NHS 9434765919')).toEqual(['9434765919']);
  });

  it('treats a checksum-valid number dialled with a country code as a phone number', () => {
    // 7700900123 happens to pass modulus 11? Either way, after +44 it is a phone number.
    expect(found('+44 7700 900123').map(([k]) => k)).toEqual(['phone']);
  });
});

describe('dates of birth', () => {
  it.each([
    ['DOB 12/03/1984', '12/03/1984'],
    ['D.O.B. 12-03-84', '12-03-84'],
    ['d.o.b: 12.03.1984', '12.03.1984'],
    ['date of birth 12 March 1984', '12 March 1984'],
    ['Date of Birth: March 12, 1984', 'March 12, 1984'],
    ['born on 1984-03-12', '1984-03-12'],
    ['born on the 12th of March 1984', '12th of March 1984'],
    ['She was born in March 1984', 'March 1984'],
    ['his birthday is 12 Mar 1984', '12 Mar 1984'],
    ['aged 40, born 12/3/1984', '12/3/1984'],
    ['12/03/1984 (DOB)', '12/03/1984'],
    ['DOB:19840312', '19840312'],
  ])('flags %s', (text, value) => {
    expect(only('date_of_birth', text)).toEqual([value]);
  });

  it.each([
    'Published 15 July 2019',
    'Can we meet on 12/03/2025?',
    'The NHS was born on 5 July 1948.',
    'Our startup was born in 2019.',
    "The NHS's 75th birthday was on 5 July 2023.",
    'Remove date of birth fields before 31 March 2025.',
    'Is the date of birth format 1984-03-12 or 12/03/1984?',
    'The deadline is 30/06/2024 and the DSPT opens 01/07/2024',
  ])('leaves %s alone', (text) => {
    expect(only('date_of_birth', text)).toEqual([]);
  });

  it('does not let a trailing DOB label claim the date before it', () => {
    expect(only('date_of_birth', 'seen 12/01/2023, DOB 14/07/1952')).toEqual(['14/07/1952']);
  });

  it('rejects impossible dates', () => {
    expect(only('date_of_birth', 'DOB 45/19/1984')).toEqual([]);
  });
});

describe('postcodes', () => {
  it('flags full postcodes in user text, with or without the space, in either case', () => {
    expect(only('postcode', 'she lives at LS6 2QT')).toEqual(['LS6 2QT']);
    expect(only('postcode', 'she lives at ls62qt')).toEqual(['ls62qt']);
    expect(only('postcode', 'EC1V 2PD, SW1A 1AA, M1 1AE, B33 8TH, CR2 6XH, DN55 1PT')).toEqual([
      'EC1V 2PD', 'SW1A 1AA', 'M1 1AE', 'B33 8TH', 'CR2 6XH', 'DN55 1PT',
    ]);
  });

  it('rejects look-alikes: unknown areas, bad inward letters, mixed case, ordinals, partial codes', () => {
    expect(found('QQ1 2AB and XY12 3CD')).toEqual([]); // no such postcode areas
    expect(found('LS6 2CI')).toEqual([]); // C and I are never inward letters
    expect(found('Ls6 2Qt')).toEqual([]);
    expect(found('Room B12 3rd floor')).toEqual([]);
    expect(found('The LS6 district and the M14 sector')).toEqual([]);
    expect(found('DCB0129, ISO 13485, ES2022 and H2O')).toEqual([]);
  });

  it('leaves organisation addresses in guidance but not a patient address', () => {
    expect(found('Write to the ICO, Wycliffe House, Water Lane, Wilmslow SK9 5AF.', 'knowledge')).toEqual([]);
    expect(only('postcode', 'The letter for the patient went to 4 Carr Lane, Doncaster DN5 8LB.', 'knowledge')).toEqual(['DN5 8LB']);
  });
});

describe('phone numbers', () => {
  it.each([
    '07700 900123', '07700-900-123', '07700900123', '+44 7700 900123', '+447700900123', '0044 7700 900123',
    '020 7946 0018', '(020) 7946 0018', '0113 496 0742', '01632 960274', '+44 (0)121 496 0811', '028 9649 6123',
    '+1 415 555 0132', '+353 20 913 2345', '+91 98765 43210', '0300 123 4567',
  ])('flags %s in user text', (v) => {
    expect(only('phone', `call me on ${v} thanks`)).toEqual([v]);
  });

  it('never flags short numbers, extensions, money, dates or versions', () => {
    expect(found('Call 111 or 999, or Samaritans on 116 123; ext. 4417')).toEqual([]);
    expect(found('£1,250,000 over 3 years, v2.4.1, 01/04/2024, 2023-24')).toEqual([]);
  });

  it('leaves service lines in guidance but not a mobile', () => {
    expect(found('For general enquiries call 0300 311 22 33.', 'knowledge')).toEqual([]);
    expect(found('Telephone the HRA switchboard on 020 7972 2545.', 'knowledge')).toEqual([]);
    expect(only('phone', 'The project lead can be reached on 07700 900612.', 'knowledge')).toEqual(['07700 900612']);
  });

  it('leaves a named helpline in user text but flags a personal number', () => {
    expect(found("The ICO's helpline is 0303 123 1113, should we call?")).toEqual([]);
    expect(only('phone', 'my number is 0303 123 1113')).toEqual(['0303 123 1113']);
  });
});

describe('email addresses', () => {
  it('flags any address in user text, trimming punctuation around it', () => {
    expect(only('email', 'reach me at sarah.jones@nhs.net.')).toEqual(['sarah.jones@nhs.net']);
    expect(only('email', '<mailto:tom.h@nhs.net|tom.h@nhs.net>')).toEqual(['tom.h@nhs.net', 'tom.h@nhs.net']);
    expect(only('email', "'first.last+pilot@startup.io'")).toEqual(['first.last+pilot@startup.io']);
    expect(only('email', 'enquiries@hra.nhs.uk')).toEqual(['enquiries@hra.nhs.uk']);
  });

  it('leaves shared organisation mailboxes in guidance, not personal ones', () => {
    expect(found('Email england.contactus@nhs.net or enquiries@hra.nhs.uk', 'knowledge')).toEqual([]);
    expect(only('email', 'Contact helen.marsh@uhb.nhs.uk for the report.', 'knowledge')).toEqual(['helen.marsh@uhb.nhs.uk']);
    expect(found('SBRI Healthcare competition questions go to sbri@lgcgroup.com.', 'knowledge')).toEqual([]);
    expect(only('email', 'Contact Kate at kate@derma-ai.com.', 'knowledge')).toEqual(['kate@derma-ai.com']);
  });

  it('ignores strings that only look like addresses', () => {
    expect(found('@channel please look, and ping @here; a@b is not an address')).toEqual([]);
  });
});

describe('National Insurance numbers', () => {
  it('flags valid numbers with or without spaces', () => {
    expect(only('ni_number', 'NI JG103759A')).toEqual(['JG103759A']);
    expect(only('ni_number', 'NI JG 10 37 59 A')).toEqual(['JG 10 37 59 A']);
    expect(only('ni_number', 'ni jg 10 37 59 a')).toEqual(['jg 10 37 59 a']);
  });

  it('respects the allocation rules', () => {
    for (const prefix of ['DA', 'FA', 'IA', 'QQ', 'UA', 'VA', 'AD', 'AF', 'AI', 'AQ', 'AU', 'AV', 'AO', 'BG', 'GB', 'NK', 'KN', 'TN', 'NT', 'ZZ']) {
      expect(found(`NI ${prefix}123456A`), prefix).toEqual([]);
    }
    expect(found('NI AB123456E')).toEqual([]); // suffix must be A–D
    expect(only('ni_number', 'NI OA123456A')).toEqual(['OA123456A']); // O is barred only as the second letter
  });
});

describe('hospital numbers', () => {
  it.each([
    ['MRN 4821937', '4821937'],
    ['MRN: RXX1234567', 'RXX1234567'],
    ['hospital number RXX 1234567', 'RXX 1234567'],
    ['hosp no. K0048812', 'K0048812'],
    ['Patient ID: P-009847', 'P-009847'],
    ['unit number 7730214', '7730214'],
    ['the MRN for her is 9912004', '9912004'],
    ['1234567 (MRN)', '1234567'],
  ])('flags %s', (text, value) => {
    expect(only('hospital_number', text)).toEqual([value]);
  });

  it('needs a cue and an identifier', () => {
    expect(found('Our ODS code is RXX and the site RXX01; IRAS ID 312456')).toEqual([]);
    expect(found('Each patient gets a hospital number (MRN) from the PAS.')).toEqual([]);
    expect(found('patient identifier standards (ISB 1504)')).toEqual([]);
  });
});

describe('patient names', () => {
  it.each([
    ['my patient John Smith asked', 'John Smith'],
    ['my patient, Mrs Jane Doe, asked', 'Mrs Jane Doe'],
    ["the patient's name is Oliver Grant", 'Oliver Grant'],
    ['Mr Ahmed (patient) asked', 'Mr Ahmed'],
    ['Mrs Kowalski, a patient on Ward 12', 'Mrs Kowalski'],
    ['a patient called Tom Hughes', 'Tom Hughes'],
    ['patient Chloe McAllister-Reid', 'Chloe McAllister-Reid'],
    ["our patient Mr O'Brien", "Mr O'Brien"],
    ['Patient: Mr A. Khan', 'Mr A. Khan'],
    ["Mrs Okafor's NHS number is unknown", 'Mrs Okafor'],
    ['can you check patient mrs patel', 'mrs patel'],
  ])('flags %s', (text, value) => {
    expect(only('patient_name', text)).toEqual([value]);
  });

  it.each([
    'Patient safety comes first',
    'Is patient data covered?',
    'The Patient Advice and Liaison Service can help',
    'Patient A and Patient B are fictional',
    'What did Dame Fiona Caldicott say?',
    "Ben Goldacre's review of patient data",
    'Skin Analytics and patient consent',
    'For each patient, Trusts must keep records',
    'Mr Hancock announced the strategy',
    'Name: Project Phoenix',
  ])('leaves %s alone', (text) => {
    expect(only('patient_name', text)).toEqual([]);
  });

  it('counts a "Name:" label only next to other patient data', () => {
    expect(only('patient_name', 'Name: Aisha Rahman')).toEqual([]);
    expect(only('patient_name', 'Name: Aisha Rahman, DOB 04/05/1990')).toEqual(['Aisha Rahman']);
  });
});
