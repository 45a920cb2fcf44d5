// Loading, chunking and checking the knowledge base. Embedding, indexing and retrieval build on these.
export type { Chunk, DocumentFormat, DocumentMeta, LoadProblem, LoadResult, Section, SourceDocument } from './types.js';
export { DOCUMENT_FORMATS } from './types.js';
export { loadDocuments, loadFile, formatFor, isIgnoredInFolderScan, type LoadOptions } from './loaders/index.js';
export { chunkDocument, chunkDocuments, contentHash, isQuestionsSection, parseQuestions, type ChunkOptions } from './chunker.js';
export { documentStatus, isStale, DEFAULT_STALE_MONTHS } from './document-status.js';
export { checkKnowledge, formatCheckReport, type CheckOptions, type CheckResult, type Issue } from './knowledge-check.js';
export {
  AUDIENCES,
  DOCUMENT_KINDS,
  frontMatterSchema,
  validateFrontMatter,
  type FrontMatter,
} from './front-matter.js';
