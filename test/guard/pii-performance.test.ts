// Every pattern is bounded, so the scan is linear. These hostile strings would take seconds
// or hang with a backtracking-prone pattern; here each must finish well under a second.
import { describe, expect, it } from 'vitest';
import { redactPii } from '../../src/guard/index.js';

const SIZE = 200_000;
const fill = (unit: string) => unit.repeat(Math.ceil(SIZE / unit.length)).slice(0, SIZE);
let seed = 7;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const randomFrom = (alphabet: string) => Array.from({ length: SIZE }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');

const HOSTILE: Record<string, string> = {
  'digits and spaces': randomFrom('0123456789 '),
  'one long number': fill('9'),
  'digit space digit': fill('1 '),
  'only @': fill('@'),
  'a@a@a': fill('a@'),
  'a long local part, then @': fill('a.') + '@',
  'a long dotted domain': 'x@' + fill('a.'),
  'valid NHS numbers back to back': fill('9434765919,'),
  'emails back to back': fill('jo.bloggs@nhs.net '),
  'patient names back to back': fill('patient John Smith '),
  'titles and capitalised words': fill('Mr Aaaa Bbbb Cccc Dddd-Eeee '),
  'names before (patient)': fill('Aaaa Bbbb Cccc (patient) '),
  'date-of-birth cues': fill('DOB born date of birth '),
  'dates of birth back to back': fill('DOB 12/03/1984 '),
  'dotted digits': fill('1.1.'),
  'plus and brackets': fill('+44 (0'),
  'postcode-like runs': fill('SW1A 2AA'),
  'NI numbers back to back': fill('AB 12 34 56 C '),
  'hospital cues': fill('MRN hospital number '),
  'random printable': randomFrom('abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789 .,:;-@+()/\'\n'),
  placeholders: fill('[NHS number] '),
};

describe('redactPii on hostile 200 KB strings', () => {
  // Compile the patterns once so the first case is not charged for it.
  redactPii('warm up: NHS 943 476 5919, DOB 12/03/1984, patient John Smith, jo@nhs.net, 07700 900123, SW1A 2AA');

  it.each(Object.entries(HOSTILE))('%s', (_name, text) => {
    expect(text.length).toBeGreaterThanOrEqual(SIZE);
    const started = performance.now();
    const result = redactPii(text);
    const elapsed = performance.now() - started;
    expect(typeof result.text).toBe('string');
    expect(elapsed).toBeLessThan(500);
  });
});
