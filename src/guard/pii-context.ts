// Shared look-around helpers: every rule that depends on surrounding words reads a bounded
// window, so the whole scan stays linear in the length of the text.

import type { PiiKind } from './pii-types.js';

export interface Candidate {
  kind: PiiKind;
  start: number;
  end: number;
}

/** Text just before `index`, at most `size` characters, not crossing a blank line. */
export function windowBefore(text: string, index: number, size: number): string {
  const slice = text.slice(Math.max(0, index - size), index);
  const para = slice.lastIndexOf('\n\n');
  return para >= 0 ? slice.slice(para + 2) : slice;
}

export function windowAfter(text: string, index: number, size: number): string {
  const slice = text.slice(index, index + size);
  const para = slice.indexOf('\n\n');
  return para >= 0 ? slice.slice(0, para) : slice;
}

// Words that mark an address or phone line as an organisation's, in published guidance.
const ORGANISATION_MARKER =
  /\b(?:NHS (?:England|Digital|Trust|Foundation)|Trust|Ltd|Limited|plc|LLP|Authority|Agency|Department|Council|Commission|Foundation|University|Hospital|Institute|Centre|Center|Office|Board|Service|Services|Guardian|England|Digital|Health|Care|Research|Society|College|Association|Network|House|Building|Tower|Court|Colonnade|Square|Place|Quay|Wharf|Floor|Headquarters|HQ|PO Box|Freepost|Campus|Park|Genomics|NICE|MHRA|ICO|HRA|CQC|DHSC|switchboard|helpline|enquiries|contact centre|customer service)\b/i;

// Words that mark an address or number as a person's, which overrides an organisation marker.
const PERSONAL_MARKER = /\b(?:patient|patients'|Mr|Mrs|Ms|Miss|Mx|his|her|home|lives|living|resident|neighbour|mobile|personal|carer|next of kin)\b/i;

/** In guidance text: does the window read like an organisation's contact details? */
export function looksOrganisational(window: string): boolean {
  return ORGANISATION_MARKER.test(window) && !PERSONAL_MARKER.test(window);
}

// Placeholders the redactor writes: masked before detection so a second pass finds nothing new
// and cue words inside a placeholder ("[date of birth]") never act as cues.
const PLACEHOLDER =
  /\[(?:NHS number|date of birth|postcode|phone number|email|NI number|hospital number|patient name)\]/g;

/** Same length as the input, with each placeholder replaced by an inert block character. */
export function maskPlaceholders(text: string): string {
  if (!text.includes('[')) return text;
  return text.replace(PLACEHOLDER, (m) => '\u2588'.repeat(m.length));
}

/**
 * Which characters are already claimed. Checking a span costs its length, so resolving
 * thousands of findings in a hostile 200 KB string stays linear rather than quadratic.
 */
export class SpanSet {
  private readonly used: Uint8Array;
  constructor(length: number) {
    this.used = new Uint8Array(length);
  }
  overlaps(start: number, end: number): boolean {
    for (let i = start; i < end; i++) if (this.used[i]) return true;
    return false;
  }
  add(start: number, end: number): void {
    this.used.fill(1, start, end);
  }
}

/** Sorted spans with a bounded look-up: is any of them within `distance` of [start, end)? */
export class SpanIndex {
  private readonly spans: Candidate[];
  constructor(spans: Candidate[]) {
    this.spans = [...spans].sort((a, b) => a.start - b.start);
  }
  near(start: number, end: number, distance: number): boolean {
    // Spans are short (under 64 characters), so any that reaches the window starts after `from`.
    const from = start - distance - 64;
    let lo = 0;
    let hi = this.spans.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.spans[mid]!.start < from) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.spans.length && this.spans[i]!.start < end + distance; i++) {
      const s = this.spans[i]!;
      if (s.end > start - distance) return true;
    }
    return false;
  }
}
