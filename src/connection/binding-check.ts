import type { Dialect } from '../dialects/dialect.js'
import { QuarryError } from '../errors/index.js'

/**
 * Refuses, before anything is sent, a bound value that the database would store altered or that
 * the driver would write into the statement itself:
 * - text that is not well-formed Unicode (a lone surrogate, which UTF-8 cannot encode: drivers
 *   silently store U+FFFD in its place);
 * - NaN and ±Infinity where the database has no such numbers (SQLite stores NaN as NULL; MySQL's
 *   driver writes them into the SQL as bare words).
 *
 * The error names the position of the value, never the value (it may be a secret).
 *
 * ```ts
 * await db.raw('select ?', ['\ud800'])  // QuarryError: bound value 1 is text with a lone surrogate …
 * ```
 */
export function checkBindings(dialect: Dialect, bindings: readonly unknown[] | undefined): void {
  if (!bindings) return
  for (let i = 0; i < bindings.length; i++) checkValue(dialect, bindings[i], i + 1)
}

function checkValue(dialect: Dialect, value: unknown, position: number): void {
  if (typeof value === 'string') {
    if (!(value as unknown as { isWellFormed(): boolean }).isWellFormed()) {
      throw new QuarryError(
        `Bound value ${position} is text with a lone surrogate (half of a UTF-16 pair): it is not valid Unicode, ` +
          'so it cannot be stored as text without being altered; fix the string (String.prototype.toWellFormed) or store it as binary',
      )
    }
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value) && !dialect.supports.nonFiniteNumbers) {
      throw new QuarryError(
        `Bound value ${position} is ${String(value)}, which this database (${dialect.name}) cannot store as a number; ` +
          'store NULL or a sentinel instead',
      )
    }
  } else if (Array.isArray(value)) {
    for (const item of value) checkValue(dialect, item, position)
  }
}
