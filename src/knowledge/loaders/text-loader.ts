// Plain text: the first line is the title when it looks like one, the rest is one section.
import type { Section } from '../types.js';
import { tidyText } from './sections.js';

const MAX_TITLE_CHARS = 150;

export function textContent(source: string): { title?: string; sections: Section[] } {
  const text = tidyText(source.replace(/^\uFEFF/, ''));
  const newline = text.indexOf('\n');
  const firstLine = (newline === -1 ? text : text.slice(0, newline)).trim();
  // A first line that is a whole paragraph is body text, not a title.
  if (firstLine === '' || firstLine.length > MAX_TITLE_CHARS || newline === -1) {
    return { sections: text ? [{ headingPath: [], text }] : [] };
  }
  const body = text.slice(newline + 1).trim();
  return { title: firstLine, sections: body ? [{ headingPath: [], text: body }] : [] };
}
