import { QuarryError } from './quarry-error.js'

/** A statement ran longer than the connection's `queryTimeoutMs` and was cancelled. */
export class QueryTimeoutError extends QuarryError {
  override readonly code = 'E_QUERY_TIMEOUT'

  constructor(
    readonly timeoutMs: number,
    readonly sql: string,
    options?: { cause?: unknown },
  ) {
    super(`Query cancelled after exceeding the ${timeoutMs} ms timeout: ${sql}`, options)
  }
}
