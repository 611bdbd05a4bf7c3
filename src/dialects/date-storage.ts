/**
 * How a dialect stores points in time: what a `Date` becomes when it is bound, and which stored
 * values read back as a `Date`. Drivers with a date type (PostgreSQL, MySQL) hand `Date`s both
 * ways; SQLite and libSQL have no date type, so they keep text (see `sqlite/sqlite-dates.ts`).
 */
export interface DateStorage {
  /** A `Date` as it is bound to a statement. */
  write(date: Date): unknown
  /**
   * A stored value as a `Date`, or `undefined` when it is in no form this dialect reads. `unit`
   * says what a bare number is: `'auto'` (the dialect's rule) or `'ms'` (epoch milliseconds, for
   * columns declared `storeAs: 'epochMs'`).
   */
  read(value: unknown, unit: EpochUnit): Date | undefined
}

/** What a bare number in a date column counts. */
export type EpochUnit = 'auto' | 'ms'

const LOCAL_TEXT = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/

function valid(date: Date): Date | undefined {
  return date.getTime() === date.getTime() ? date : undefined
}

/**
 * Dialects whose drivers return `Date`s. Anything else is read as it always was: numbers are
 * epoch milliseconds, text is ISO-8601 (UTC when it names no offset).
 */
export const nativeDates: DateStorage = {
  write: (date) => date,
  read(value) {
    if (value instanceof Date) return valid(value)
    if (typeof value === 'number') return valid(new Date(value))
    if (typeof value === 'bigint') return valid(new Date(Number(value)))
    if (typeof value !== 'string') return undefined
    if (/^\d+$/.test(value)) return valid(new Date(Number(value)))
    const local = LOCAL_TEXT.exec(value)
    if (local) return valid(new Date(`${local[1]}T${local[2]}Z`))
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return valid(new Date(`${value}T00:00:00Z`))
    return valid(new Date(value))
  },
}

/** The kind of a value that is not a date, for error messages (never the whole of a long value). */
export function describeStoredValue(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value
    return `the text ${JSON.stringify(shown)}`
  }
  if (typeof value === 'number' || typeof value === 'bigint') return `the number ${String(value)}`
  if (value instanceof Date) return 'an invalid Date'
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `a ${value.length}-byte blob`
  if (typeof value === 'boolean') return `the boolean ${String(value)}`
  return `a value of type ${typeof value}`
}
