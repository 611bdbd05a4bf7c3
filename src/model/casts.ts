import { type DateStorage, describeStoredValue, type EpochUnit, nativeDates } from '../dialects/date-storage.js'
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
  /**
   * The read conversion of one column on one dialect, where it is more than `get`: date casts
   * read the forms the dialect stores (`DateStorage`) and name `column` when a value is none.
   */
  readerFor?(dates: DateStorage, column: string): (value: unknown) => unknown
  /** A `Date` compared with this column in a where clause, as it is bound (an epoch-ms column: its number). */
  bindDate?(date: Date): unknown
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

/**
 * How a date column stores its values. Unset: the dialect's own form (a native date type on
 * PostgreSQL and MySQL, ISO-8601 UTC text on SQLite and libSQL). `'epochMs'`: epoch milliseconds,
 * a number, on every dialect, for databases made by tools that store them (Prisma's SQLite schemas).
 */
export type DateStorageOption = 'epochMs'

/** The `storeAs` option checked, for the decorator named `variant`. */
export function checkStoreAs(variant: string, storeAs: unknown): DateStorageOption | undefined {
  if (storeAs === undefined || storeAs === 'epochMs') return storeAs
  throw new QuarryError(`@column${variant}({ storeAs }) must be 'epochMs' or left out, not ${JSON.stringify(storeAs)}`)
}

/** The error for a stored value that is no date; it names the column and the value's form. */
function unreadable(value: unknown, column: string): never {
  const hint =
    typeof value === 'number' || (typeof value === 'string' && /^[+-]?[\d.]+$/.test(value))
      ? "; a number is epoch milliseconds from 1e11 up, epoch seconds from 1e8 to 1e11, and ambiguous below (other than 0): declare the column with storeAs: 'epochMs' if it holds milliseconds"
      : '; the forms read are ISO-8601 text (2026-01-02 10:00:00.123, 2026-01-02T10:00:00Z, with or without an offset) and epoch seconds or milliseconds'
  throw new QuarryError(`${column} holds ${describeStoredValue(value)}, which is not a date${hint}`)
}

function dateTimeCastFor(storeAs: DateStorageOption | undefined): ColumnCast {
  const unit: EpochUnit = storeAs === 'epochMs' ? 'ms' : 'auto'
  const cast: ColumnCast = {
    get: toDate,
    set: storeAs === 'epochMs' ? (value) => toDate(value).getTime() : (value) => toDate(value),
    assign: (value) => (value === null || value === undefined ? value : toDate(value)),
    equals: sameTime,
    readerFor: (dates, column) => (value) => dates.read(value, unit) ?? unreadable(value, column),
  }
  if (storeAs === 'epochMs') cast.bindDate = (date) => date.getTime()
  return cast
}

/** A point in time: a `Date` in JavaScript whatever the database returns. */
export const dateTimeCast: ColumnCast = dateTimeCastFor(undefined)

const epochMsDateTimeCast = dateTimeCastFor('epochMs')

/** The point-in-time cast for a column's `storeAs` option. */
export function dateTimeCastWith(storeAs: DateStorageOption | undefined): ColumnCast {
  return storeAs === 'epochMs' ? epochMsDateTimeCast : dateTimeCast
}

/**
 * A moment from a Date, epoch milliseconds, or text (text without an offset is UTC): the forms
 * every dialect reads. Reading a column goes through its dialect's `DateStorage` instead, which
 * on SQLite and libSQL reads more forms.
 */
export function toDate(value: unknown): Date {
  // The common case first: the driver's own Date (PostgreSQL, MySQL).
  if (value instanceof Date && value.getTime() === value.getTime()) return value
  const date = nativeDates.read(value, 'auto')
  if (!date) throw new QuarryError(`Cannot read ${typeof value === 'string' ? JSON.stringify(value) : describeStoredValue(value)} as a date`)
  return date
}

function dateCastFor(storeAs: DateStorageOption | undefined): ColumnCast {
  const unit: EpochUnit = storeAs === 'epochMs' ? 'ms' : 'auto'
  const cast: ColumnCast = {
    get: toCalendarDate,
    set: storeAs === 'epochMs' ? (value) => toCalendarDate(value).getTime() : (value) => toCalendarDate(value).toISOString().slice(0, 10),
    assign: (value) => (value === null || value === undefined ? value : toCalendarDate(value)),
    equals: sameTime,
    readerFor: (dates, column) => (value) => {
      if (value instanceof Date) return toCalendarDate(value)
      const date = dates.read(value, unit) ?? unreadable(value, column)
      return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()))
    },
  }
  if (storeAs === 'epochMs') cast.bindDate = (date) => toCalendarDate(date).getTime()
  return cast
}

/**
 * A calendar date: a `Date` at UTC midnight in JavaScript, `YYYY-MM-DD` in the database.
 * A driver's Date at local midnight (PostgreSQL's `date`) is read by its local calendar day.
 */
export const dateCast: ColumnCast = dateCastFor(undefined)

const epochMsDateCast = dateCastFor('epochMs')

/** The calendar-date cast for a column's `storeAs` option. */
export function dateCastWith(storeAs: DateStorageOption | undefined): ColumnCast {
  return storeAs === 'epochMs' ? epochMsDateCast : dateCast
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
