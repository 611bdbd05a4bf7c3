import { QuarryError } from './quarry-error.js'

/**
 * The database could not be reached, a pool had no connection to give in time, or a connection
 * was lost mid-query. Names the connection and the host (never a password).
 */
export class ConnectionError extends QuarryError {
  override readonly code = 'E_CONNECTION'

  constructor(
    message: string,
    readonly details: { connection?: string; host?: string; reason?: string } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}
