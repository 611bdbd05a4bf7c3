import { QuarryError } from '../errors/index.js'

/**
 * How a column's value converts between the database and JavaScript. `get` runs on values read
 * (never on null), `set` on values written (never on null). User casts give both:
 * `@column({ cast: { get: (v) => Money.parse(v), set: (m) => m.toString() } })`.
 */
export interface Cast<Js = unknown, Db = unknown> {
  get(value: Db): Js
  set(value: Js): Db
}

/** A built-in cast, with what Quarry needs beyond get/set. */
export interface ColumnCast extends Cast {
  /** Applied when a property is assigned (`'2024-01-01'` → a Date); identity when absent. */
  assign?(value: unknown): unknown
  /** Values are objects compared by content (JSON), so in-place changes count as dirty. */
  readonly byContent?: boolean
  /** Two values are the same for dirty tracking. */
  equals?(a: unknown, b: unknown): boolean
}

/** JSON in a json/jsonb/text column; drivers that parse JSON themselves are handled too. */
export const jsonCast: ColumnCast = {
  get(value) {
    if (typeof value !== 'string') return Buffer.isBuffer(value) ? JSON.parse(value.toString('utf8')) : value
    try {
      return JSON.parse(value)
    } catch {
      // A JSON string scalar that the driver already decoded.
      return value
    }
  },
  set: (value) => JSON.stringify(value),
  byContent: true,
  equals: (a, b) => JSON.stringify(a) === JSON.stringify(b),
}

/** Booleans stored as 0/1 (SQLite, MySQL) or natively. */
export const booleanCast: ColumnCast = {
  get: toBoolean,
  set: toBoolean,
  assign: (value) => (value === null || value === undefined ? value : toBoolean(value)),
}

function toBoolean(value: unknown): boolean {
  if (typeof value === 'string') return !(value === '0' || value === 'false' || value === 'f' || value === '')
  if (typeof value === 'bigint') return value !== 0n
  if (Buffer.isBuffer(value)) return value.length > 0 && value[0] !== 0
  return Boolean(value)
}

function sameTime(a: unknown, b: unknown): boolean {
  return a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b
}

/** A point in time: a `Date` in JavaScript whatever the database returns. */
export const dateTimeCast: ColumnCast = {
  get: toDate,
  set: (value) => toDate(value),
  assign: (value) => (value === null || value === undefined ? value : toDate(value)),
  equals: sameTime,
}

/** A moment from a Date, epoch milliseconds, or text (text without an offset is UTC). */
export function toDate(value: unknown): Date {
  // The common cases first: epoch milliseconds (SQLite, libSQL) and driver Dates (PostgreSQL, MySQL).
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value)
  if (value instanceof Date && value.getTime() === value.getTime()) return value
  let date: Date
  if (value instanceof Date) date = value
  else if (typeof value === 'number') date = new Date(value)
  else if (typeof value === 'bigint') date = new Date(Number(value))
  else if (typeof value === 'string') date = parseDateText(value)
  else throw new QuarryError(`Cannot read ${JSON.stringify(value)} as a date`)
  if (Number.isNaN(date.getTime())) throw new QuarryError(`Cannot read ${JSON.stringify(value)} as a date`)
  return date
}

const LOCAL_TEXT = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/

function parseDateText(text: string): Date {
  if (/^\d+$/.test(text)) return new Date(Number(text))
  const local = LOCAL_TEXT.exec(text)
  if (local) return new Date(`${local[1]}T${local[2]}Z`)
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return new Date(`${text}T00:00:00Z`)
  return new Date(text)
}

/**
 * A calendar date: a `Date` at UTC midnight in JavaScript, `YYYY-MM-DD` in the database.
 * A driver's Date at local midnight (PostgreSQL's `date`) is read by its local calendar day.
 */
export const dateCast: ColumnCast = {
  get: toCalendarDate,
  set: (value) => toCalendarDate(value).toISOString().slice(0, 10),
  assign: (value) => (value === null || value === undefined ? value : toCalendarDate(value)),
  equals: sameTime,
}

function toCalendarDate(value: unknown): Date {
  if (value instanceof Date) {
    const localMidnight = value.getHours() === 0 && value.getMinutes() === 0 && value.getSeconds() === 0 && value.getMilliseconds() === 0
    return localMidnight
      ? new Date(Date.UTC(value.getFullYear(), value.getMonth(), value.getDate()))
      : new Date(Date.UTC(value.getUTCFullYear(), value.getUTCMonth(), value.getUTCDate()))
  }
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) && !/[T ]\d/.test(value.slice(10, 12))) {
    return new Date(`${value.slice(0, 10)}T00:00:00Z`)
  }
  const date = toDate(value)
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()))
}

/**
 * An exact decimal: a string in JavaScript (`'12.50'`), so no precision is lost to floats. With
 * `scale`, numbers a driver returns (SQLite) are formatted to that many places; with
 * `asNumber`, the value is a JavaScript number instead.
 */
export function decimalCast(options: { scale?: number; asNumber?: boolean } = {}): ColumnCast {
  const format = (value: unknown): string | number => {
    if (options.asNumber) return typeof value === 'number' ? value : Number(value)
    if (typeof value === 'number') return options.scale === undefined ? String(value) : value.toFixed(options.scale)
    return String(value)
  }
  return {
    get: format,
    set: (value) => (typeof value === 'number' && options.scale !== undefined ? value.toFixed(options.scale) : String(value)),
    assign: (value) => (value === null || value === undefined ? value : format(value)),
  }
}

/** A user's `{ get, set }` as a column cast. */
export function customCast(cast: Cast): ColumnCast {
  if (typeof cast?.get !== 'function' || typeof cast?.set !== 'function') {
    throw new QuarryError('column({ cast }) needs both get(value) and set(value) functions')
  }
  return { get: (v) => cast.get(v), set: (v) => cast.set(v) }
}
