// Turning headed text into sections, shared by the Markdown and HTML loaders.
import type { Section } from '../types.js';

/** Collects text under a stack of headings; levels deeper than `maxLevel` stay in the text. */
export class SectionBuilder {
  private readonly sections: Section[] = [];
  private readonly path: { level: number; title: string }[] = [];
  private lines: string[] = [];
  private started = false;

  heading(level: number, title: string): void {
    this.flush();
    while (this.path.length > 0 && (this.path[this.path.length - 1]?.level ?? 0) >= level) this.path.pop();
    this.path.push({ level, title: normaliseInline(title) });
    this.started = true;
  }

  text(line: string): void {
    this.lines.push(line);
  }

  /** Sections in document order; headings with no text are kept so empty ones can be reported. */
  finish(): Section[] {
    this.flush();
    return this.sections;
  }

  private flush(): void {
    const text = tidyText(this.lines.join('\n'));
    this.lines = [];
    // Text before the first heading is a section with an empty path; skip it when there is none.
    if (!this.started && text === '') return;
    this.sections.push({ headingPath: this.path.map((p) => p.title), text });
  }
}

/** Collapses runs of spaces, trims each line, and keeps at most one blank line between paragraphs. */
export function tidyText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export function normaliseInline(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** A section with neither text nor sub-sections under it. */
export function isEmptySection(sections: Section[], index: number): boolean {
  const section = sections[index];
  if (!section || section.text.trim() !== '') return false;
  const next = sections[index + 1];
  const depth = section.headingPath.length;
  const hasChild =
    next !== undefined &&
    next.headingPath.length > depth &&
    section.headingPath.every((h, i) => next.headingPath[i] === h);
  return !hasChild;
}
