import { QuarryError } from '../../errors/index.js'
import type { DateStorage, EpochUnit } from '../date-storage.js'

/**
 * Points in time on SQLite and libSQL, which have no date type.
 *
 * Written: ISO-8601 UTC text, `YYYY-MM-DD HH:MM:SS.SSS`, whatever the column's declared type.
 * It sorts in time order as text, SQLite's `date()`/`strftime()` read it, and so do other tools.
 *
 * Read: that text and every other common stored form —
 * - ISO-8601 text with `T` or a space, with or without seconds and a fraction, with `Z`, an
 *   offset (`+02:00`, `+0200`, `+02`, after an optional space) or none (UTC);
 * - a bare date `YYYY-MM-DD` (UTC midnight);
 * - epoch numbers, as numbers or as text (`'1796432171922.0'`, which is how a REAL in a TEXT
 *   column reads). A number whose magnitude is at least 1e11 counts milliseconds (1e11 ms is
 *   1973-03-03); from 1e8 up to 1e11 it counts seconds (1e8 s is 1973-03-03, 1e11 s is the year
 *   5138); 0 is the epoch either way. Any other number is ambiguous and is not read: a column
 *   declared `storeAs: 'epochMs'` reads every number as milliseconds.
 * Anything else (a julian day number, text in another format, a blob) is `undefined`, which
 * the column's cast turns into a `QuarryError` naming the column.
 */
export const sqliteDates: DateStorage = {
  write: formatSqliteDateTime,
  read(value, unit) {
    if (typeof value === 'string') return parseStoredText(value, unit)
    if (typeof value === 'number') return fromEpoch(value, unit)
    if (value instanceof Date) return value.getTime() === value.getTime() ? value : undefined
    if (typeof value === 'bigint') return fromEpoch(Number(value), unit)
    return undefined
  },
}

/** The magnitude from which a bare number counts milliseconds rather than seconds. */
export const EPOCH_MS_FROM = 1e11
/** The magnitude below which a bare number (other than 0) is ambiguous. */
export const EPOCH_SECONDS_FROM = 1e8

/**
 * A `Date` as SQLite date text: `2026-01-02 10:00:00.123` (UTC). Only years 0–9999 have such a
 * text; others, and invalid dates, are a `QuarryError` before anything is sent.
 */
export function formatSqliteDateTime(date: Date): string {
  const time = date.getTime()
  const day = Math.floor(time / DAY_MS)
  // Dates written together mostly fall on one day (a row's timestamps, a batch): its text is kept.
  if (day !== formatted.day) {
    const year = date.getUTCFullYear()
    formatted.prefix = year >= 1000 && year <= 9999 ? `${year}-${TWO[date.getUTCMonth() + 1]}-${TWO[date.getUTCDate()]} ` : unusualYearPrefix(date, year)
    formatted.day = day
  }
  const rest = time - day * DAY_MS
  const minute = (rest / 60_000) | 0
  const ms = rest - minute * 60_000
  const second = (ms / 1000) | 0
  return `${formatted.prefix}${HOUR_MINUTE[minute]}${TWO[second]}.${THREE[ms - second * 1000]}`
}

const DAY_MS = 86_400_000
const formatted = { day: Number.NaN, prefix: '' }
const TWO = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'))
const THREE = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'))
/** `HH:MM:` for each minute of a day. */
const HOUR_MINUTE = Array.from({ length: 1440 }, (_, i) => `${TWO[(i / 60) | 0]}:${TWO[i % 60]}:`)

/** `YYYY-MM-DD ` for the years 0-999; the others, and invalid dates, are a `QuarryError`. */
function unusualYearPrefix(date: Date, year: number): string {
  if (year !== year) throw new QuarryError('An invalid Date cannot be stored; check the value before writing it')
  const iso = date.toISOString()
  if (year < 0 || year > 9999) {
    throw new QuarryError(
      `${iso} cannot be stored as SQLite date text, which covers the years 0000-9999; ` +
        "declare the column with storeAs: 'epochMs' to store such dates as numbers",
    )
  }
  return `${iso.slice(0, 10)} `
}

const NUMBER_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/

function parseStoredText(text: string, unit: EpochUnit): Date | undefined {
  if (text.length >= 10 && text.charCodeAt(4) === 45 && text.charCodeAt(7) === 45) return parseIsoText(text)
  return NUMBER_TEXT.test(text) ? fromEpoch(Number(text), unit) : undefined
}

function fromEpoch(n: number, unit: EpochUnit): Date | undefined {
  if (!Number.isFinite(n)) return undefined
  const magnitude = Math.abs(n)
  let ms: number
  if (unit === 'ms' || magnitude >= EPOCH_MS_FROM) ms = n
  else if (magnitude >= EPOCH_SECONDS_FROM) ms = Math.round(n * 1000)
  else if (n === 0) ms = 0
  else return undefined
  const date = new Date(ms)
  return date.getTime() === date.getTime() ? date : undefined
}

/** `count` decimal digits at `at`, or -1. */
function digits(text: string, at: number, count: number): number {
  let value = 0
  for (let i = at; i < at + count; i++) {
    const d = text.charCodeAt(i) - 48
    if (!(d >= 0 && d <= 9)) return -1
    value = value * 10 + d
  }
  return value
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

function daysIn(year: number, month: number): number {
  if (month !== 2) return DAYS[month - 1]!
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
}

const SPACE = 32
const COLON = 58
const DOT = 46

/**
 * ISO-8601 text, checked field by field (a 31st of April is not quietly made the 1st of May).
 * Hand-written rather than a regular expression: it runs once per date per row read.
 */
export function parseIsoText(text: string): Date | undefined {
  const length = text.length
  const day = dayOf(text)
  if (day === undefined) return undefined
  // The form Quarry writes, `YYYY-MM-DD HH:MM:SS.SSS`, the way most values read.
  if (length === 23 && text.charCodeAt(10) === SPACE && text.charCodeAt(13) === COLON && text.charCodeAt(16) === COLON && text.charCodeAt(19) === DOT) {
    const h = digits(text, 11, 2)
    const m = digits(text, 14, 2)
    const sec = digits(text, 17, 2)
    const milli = digits(text, 20, 3)
    if (h >= 0 && h <= 23 && m >= 0 && m <= 59 && sec >= 0 && sec <= 59 && milli >= 0) return new Date(day + ((h * 60 + m) * 60 + sec) * 1000 + milli)
    return undefined
  }
  let hour = 0
  let minute = 0
  let second = 0
  let ms = 0
  let offset = 0
  let i = 10
  if (length > 10) {
    const separator = text.charCodeAt(10)
    if (separator !== SPACE && separator !== 84 && separator !== 116) return undefined
    hour = digits(text, 11, 2)
    minute = digits(text, 14, 2)
    if (hour < 0 || hour > 23 || text.charCodeAt(13) !== COLON || minute < 0 || minute > 59) return undefined
    i = 16
    if (text.charCodeAt(i) === COLON) {
      second = digits(text, 17, 2)
      if (second < 0 || second > 59) return undefined
      i = 19
      if (text.charCodeAt(i) === DOT) {
        const start = ++i
        for (let d = text.charCodeAt(i) - 48; d >= 0 && d <= 9; d = text.charCodeAt(++i) - 48) {
          // Milliseconds: the first three digits; finer ones are dropped, as a Date holds none.
          if (i - start < 3) ms = ms * 10 + d
        }
        if (i === start) return undefined
        for (let n = i - start; n < 3; n++) ms *= 10
      }
    }
    if (i < length) {
      if (text.charCodeAt(i) === SPACE) i++
      const zone = text.charCodeAt(i)
      if (zone === 90 || zone === 122) {
        i++
      } else if (zone === 43 || zone === 45) {
        const hours = digits(text, i + 1, 2)
        i += 3
        let minutes = 0
        if (i < length) {
          if (text.charCodeAt(i) === COLON) i++
          minutes = digits(text, i, 2)
          i += 2
        }
        if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return undefined
        offset = (zone === 45 ? -1 : 1) * (hours * 60 + minutes)
      } else {
        return undefined
      }
    }
  }
  if (i !== length) return undefined
  return new Date(day + ((hour * 60 + minute - offset) * 60 + second) * 1000 + ms)
}

/** The last day read: rows read together mostly share days, so their `YYYY-MM-DD` is parsed once. */
const parsed = { text: '', time: 0 }

/** The epoch milliseconds of the UTC midnight the text starts with (`YYYY-MM-DD`), or undefined. */
function dayOf(text: string): number | undefined {
  if (parsed.text !== '' && text.startsWith(parsed.text)) return parsed.time
  const year = digits(text, 0, 4)
  const month = digits(text, 5, 2)
  const day = digits(text, 8, 2)
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined
  let time = Date.UTC(year, month - 1, day)
  // Date.UTC reads the years 0-99 as 1900-1999.
  if (year < 100) time = new Date(time).setUTCFullYear(year)
  parsed.text = text.slice(0, 10)
  parsed.time = time
  return time
}
