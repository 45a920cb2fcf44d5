// HTML pages (and DOCX, through mammoth's HTML): h1–h3 become sections, page furniture is dropped.
import { Parser } from 'htmlparser2';
import type { Section } from '../types.js';
import { SectionBuilder, normaliseInline } from './sections.js';

/** Elements whose content is never document text. */
const DROPPED = new Set(['script', 'style', 'nav', 'noscript', 'template', 'svg', 'iframe', 'head', 'footer', 'button', 'form']);
const BLOCK = new Set([
  'p', 'div', 'section', 'article', 'main', 'header', 'aside', 'blockquote', 'pre', 'table', 'thead', 'tbody',
  'tr', 'ul', 'ol', 'dl', 'dt', 'dd', 'figure', 'figcaption', 'address', 'hr', 'h4', 'h5', 'h6',
]);
const SECTION_HEADINGS: Record<string, number> = { h1: 1, h2: 2, h3: 3 };

export interface HtmlContent {
  /** From <title>, else the first <h1>; undefined when the page has neither. */
  title?: string;
  sections: Section[];
}

export function htmlToSections(html: string): HtmlContent {
  const builder = new SectionBuilder();
  // Open dropped elements, innermost last: text inside any of them is not document text.
  const dropped: string[] = [];
  let headingLevel = 0;
  let heading = '';
  let inTitle = false;
  let title = '';
  let firstH1: string | undefined;
  let buffer = '';

  const breakLine = (blankLine: boolean) => {
    buffer += blankLine ? '\n\n' : '\n';
  };
  const flushText = () => {
    for (const line of buffer.split('\n')) builder.text(line);
    buffer = '';
  };

  const parser = new Parser(
    {
      onopentag(name) {
        // Only the page's own <title>, not an <svg><title> inside the body.
        if (name === 'title' && title === '' && dropped.every((d) => d === 'head')) inTitle = true;
        if (DROPPED.has(name)) dropped.push(name);
        if (dropped.length > 0) return;
        const level = SECTION_HEADINGS[name];
        if (level) {
          headingLevel = level;
          heading = '';
        } else if (name === 'br') breakLine(false);
        else if (name === 'li') buffer += '\n- ';
        else if (name === 'td' || name === 'th') buffer += ' ';
        else if (BLOCK.has(name)) breakLine(name === 'p' || name.startsWith('h'));
      },
      ontext(text) {
        if (inTitle) title += text;
        if (dropped.length > 0) return;
        if (headingLevel) heading += text;
        else buffer += text;
      },
      onclosetag(name) {
        if (name === 'title') inTitle = false;
        if (DROPPED.has(name)) {
          const at = dropped.lastIndexOf(name);
          if (at >= 0) dropped.splice(at, 1);
          return;
        }
        if (dropped.length > 0) return;
        if (SECTION_HEADINGS[name] && headingLevel) {
          const text = normaliseInline(heading);
          if (headingLevel === 1 && firstH1 === undefined && text) firstH1 = text;
          if (text) {
            flushText();
            builder.heading(headingLevel, text);
          }
          headingLevel = 0;
        } else if (BLOCK.has(name)) {
          breakLine(name === 'p' || name.startsWith('h') || name === 'ul' || name === 'ol' || name === 'table');
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  flushText();

  const pageTitle = normaliseInline(title) || firstH1;
  return { ...(pageTitle ? { title: pageTitle } : {}), sections: builder.finish() };
}
