import { QuarryError } from './quarry-error.js'

/** A column name that is neither a property nor a column of the model. Never sent to SQL. */
export class UnknownColumnError extends QuarryError {
  override readonly code = 'E_UNKNOWN_COLUMN'

  constructor(
    readonly model: string,
    readonly column: string,
    readonly suggestions: string[] = [],
  ) {
    super(
      `${model} has no column or property "${column}"` +
        (suggestions.length ? `; did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?` : '') +
        `. Use whereRaw/selectRaw with bindings for expressions`,
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
