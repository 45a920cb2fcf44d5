// PDF text through pdfjs-dist's legacy build, which runs in Node without a worker or canvas.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { LoadError } from './load-error.js';
import { tidyText } from './sections.js';

export interface PdfContent {
  title?: string;
  text: string;
}

// Without the standard font data pdfjs warns on every page that uses a base-14 font.
const standardFontDataUrl =
  join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts') + '/';

export async function extractPdf(data: Uint8Array): Promise<PdfContent> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  // pdfjs takes ownership of (detaches) the buffer it is given, so hand it a copy.
  const task = pdfjs.getDocument({
    data: new Uint8Array(data),
    verbosity: pdfjs.VerbosityLevel.ERRORS,
    isEvalSupported: false,
    disableFontFace: true,
    standardFontDataUrl,
  });
  try {
    const doc = await task.promise;
    const info = (await doc.getMetadata().catch(() => ({ info: {} }))).info as { Title?: unknown };
    const pages: string[] = [];
    for (let n = 1; n <= doc.numPages; n += 1) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      let text = '';
      for (const item of content.items) {
        if (!('str' in item)) continue;
        text += item.str + (item.hasEOL ? '\n' : '');
      }
      pages.push(tidyText(text));
      page.cleanup();
    }
    const text = pages.filter((p) => p !== '').join('\n\n');
    if (text === '') throw new LoadError('the PDF has no extractable text (a scanned image needs OCR first)');
    const title = typeof info.Title === 'string' ? info.Title.trim() : '';
    return { ...(title ? { title } : {}), text };
  } catch (err) {
    if (err instanceof LoadError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new LoadError(`not a readable PDF: ${reason}`, { cause: err });
  } finally {
    await task.destroy();
  }
}
