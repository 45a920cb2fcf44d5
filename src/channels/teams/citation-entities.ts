// Teams' native rendering of AI answers: [n] markers in the text, and a schema.org Message entity
// whose `citation` claims say what each marker points to; `additionalType` adds the
// "AI generated" label. Teams caps the fields, so values are clipped to its limits.
import type { Entity } from 'botbuilder';
import type { Citation } from '../../core/types.js';
import { clip } from './card-kit.js';

/** Teams shows at most this many citations on one message. */
export const MAX_CITATIONS = 20;

export interface ClientCitation {
  '@type': 'Claim';
  position: number;
  appearance: {
    '@type': 'DigitalDocument';
    name: string;
    abstract: string;
    url?: string;
    keywords?: string[];
  };
}

export function clientCitation(c: Citation, position: number): ClientCitation {
  const abstract = [c.publisher, c.published, c.snippet].map((s) => s?.trim()).filter(Boolean).join(' · ');
  const keywords = c.status === 'superseded' ? ['Superseded'] : c.status === 'stale' ? ['Past review date'] : undefined;
  return {
    '@type': 'Claim',
    position,
    appearance: {
      '@type': 'DigitalDocument',
      name: clip(c.title || `Source ${position}`, 80),
      abstract: clip(abstract || c.title, 160),
      ...(/^https?:\/\//i.test(c.url) ? { url: c.url } : {}),
      ...(keywords ? { keywords } : {}),
    },
  };
}

/** The one Message entity Teams reads for citations and the AI label (both optional). */
export function aiMessageEntity(options: { citations?: Citation[]; aiGenerated: boolean }): Entity {
  const citation = (options.citations ?? []).slice(0, MAX_CITATIONS).map((c, i) => clientCitation(c, i + 1));
  return {
    type: 'https://schema.org/Message',
    '@type': 'Message',
    '@context': 'https://schema.org',
    '@id': '',
    ...(options.aiGenerated ? { additionalType: ['AIGeneratedContent'] } : {}),
    ...(citation.length > 0 ? { citation } : {}),
  };
}

/** The core writes "[1, 3]"; Teams only links single markers, so that becomes "[1][3]". */
export function teamsMarkers(text: string): string {
  return text.replace(/\[(\d+(?:\s*,\s*\d+)+)\]/g, (_m, list: string) =>
    list
      .split(',')
      .map((n) => `[${n.trim()}]`)
      .join(''),
  );
}
