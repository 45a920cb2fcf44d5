import { NavigatorError } from '../../shared/errors.js';

/** A file that cannot become a document; the message is the reason shown beside its path. */
export class LoadError extends NavigatorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('load_failed', message, options);
  }
}
