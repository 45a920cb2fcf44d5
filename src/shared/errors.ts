// One error base with a code and a cause. Expected outcomes (nothing found, duplicate, rate
// limited) are result values, not exceptions; these are for bugs and infrastructure.

export class NavigatorError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A call to an outside service (language model, Slack, Teams, embeddings) failed. */
export class ProviderError extends NavigatorError {
  readonly isRetryable: boolean;
  readonly status?: number;
  readonly retryAfterMs?: number;
  constructor(
    message: string,
    options: { cause?: unknown; isRetryable: boolean; status?: number; retryAfterMs?: number; code?: string },
  ) {
    super(options.code ?? 'provider_error', message, { cause: options.cause });
    this.isRetryable = options.isRetryable;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

export class TimeoutError extends NavigatorError {
  constructor(what: string, ms: number) {
    super('timeout', `${what} did not answer within ${ms} ms`);
  }
}

/** Bad input from a caller: becomes a 4xx at the HTTP edge. */
export class InputError extends NavigatorError {
  readonly status: number;
  constructor(message: string, status = 400, code = 'bad_request') {
    super(code, message);
    this.status = status;
  }
}

export class StoreError extends NavigatorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('store_unavailable', message, options);
  }
}

/** Turns whatever was thrown into a NavigatorError, at the edges only. */
export function toNavigatorError(err: unknown): NavigatorError {
  if (err instanceof NavigatorError) return err;
  if (err instanceof Error) return new NavigatorError('internal', err.message, { cause: err });
  return new NavigatorError('internal', String(err));
}

/** Rejects with TimeoutError after `ms`, aborting the operation through the given controller. */
export async function withTimeout<T>(what: string, ms: number, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new TimeoutError(what, ms));
    }, ms);
  });
  try {
    return await Promise.race([run(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
