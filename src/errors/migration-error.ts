import { QuarryError } from './quarry-error.js'

/**
 * A migration failed, or the runner could not start (a held lock, a missing file). Names the
 * migration and, where one failed, the statement and the database's message.
 */
export class MigrationError extends QuarryError {
  override readonly code = 'E_MIGRATION'

  constructor(
    message: string,
    readonly details: { migration?: string; statement?: string; executed?: string[] } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}
