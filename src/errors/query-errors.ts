import { QuarryError } from './quarry-error.js'

/**
 * A column name that is neither a property nor a column of the model. Never sent to SQL.
 * `context` names the call that was given it when that is a write (`upsert() uniqueBy`,
 * `increment()`); without one the name came from a query, and the message points to the raw
 * methods for expressions.
 */
export class UnknownColumnError extends QuarryError {
  override readonly code = 'E_UNKNOWN_COLUMN'

  constructor(
    readonly model: string,
    readonly column: string,
    readonly suggestions: string[] = [],
    context?: string,
  ) {
    super(
      (context ? `${context}: ` : '') +
        `${model} has no column or property "${column}"` +
        (suggestions.length ? `; did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?` : '') +
        (context ? `. Name a property declared with @column()` : `. Use whereRaw/selectRaw with bindings for expressions`),
    )
  }
}

/** A `cursorPaginate` cursor that does not decode, or belongs to another model or ordering. */
export class InvalidCursorError extends QuarryError {
  override readonly code = 'E_INVALID_CURSOR'

  constructor(reason: string) {
    super(`Invalid pagination cursor: ${reason}. Start again without a cursor`)
  }
}
