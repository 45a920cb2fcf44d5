// Word documents: mammoth turns Word heading styles into <h1>…<h6>, so the HTML path finds sections.
import JSZip from 'jszip';
import mammoth from 'mammoth';
import { htmlToSections, type HtmlContent } from './html-loader.js';
import { LoadError } from './load-error.js';

export async function extractDocx(data: Buffer): Promise<HtmlContent> {
  let html: string;
  try {
    html = (await mammoth.convertToHtml({ buffer: data })).value;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new LoadError(`not a readable Word (.docx) document: ${reason}`, { cause: err });
  }
  const content = htmlToSections(html);
  const title = (await coreTitle(data)) ?? content.title;
  return { ...content, ...(title ? { title } : {}) };
}

/** The title the author set in File › Properties (docProps/core.xml), when there is one. */
async function coreTitle(data: Buffer): Promise<string | undefined> {
  try {
    const zip = await JSZip.loadAsync(data);
    const core = await zip.file('docProps/core.xml')?.async('string');
    const match = core ? /<dc:title>([^<]*)<\/dc:title>/.exec(core) : null;
    const title = match?.[1] ? htmlToSections(`<p>${match[1]}</p>`).sections[0]?.text : undefined;
    return title || undefined;
  } catch {
    return undefined;
  }
}
