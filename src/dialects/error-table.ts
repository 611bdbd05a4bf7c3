import { QuarryError, QueryError, type QueryFailureKind } from '../errors/index.js'
import { errorField } from './dialect.js'

/** The statement that failed: its SQL with placeholders, and the values bound to it. */
export interface FailedStatement {
  sql: string
  bindings: readonly unknown[]
}

/**
 * One row of a dialect's classification table: which driver errors it covers (`when`), and the
 * Quarry error they become — a constraint error, or a `QueryError` of a `kind`.
 */
export interface ErrorRule {
  when: (error: unknown) => boolean
  then: QueryFailureKind | ((error: unknown, statement: FailedStatement | undefined) => QuarryError | undefined)
}

/**
 * Runs `error` through a dialect's table, top to bottom: the first rule that matches decides.
 * A failure no rule names is a `QueryError` of kind `'other'`; nothing leaves as the driver's class.
 */
export function classify(table: readonly ErrorRule[], error: unknown, statement?: FailedStatement): QuarryError {
  if (error instanceof QuarryError) return error
  for (const rule of table) {
    if (!rule.when(error)) continue
    if (typeof rule.then !== 'function') return queryError(rule.then, error, statement)
    const made = rule.then(error, statement)
    if (made) return made
  }
  return queryError('other', error, statement)
}

/** A `QueryError` of `kind` for the driver's `error`, its message stripped of bound values. */
export function queryError(kind: QueryFailureKind, error: unknown, statement?: FailedStatement): QueryError {
  return new QueryError(kind, withoutValues(driverMessage(error, statement?.sql), statement?.bindings ?? []), statement?.sql, {
    cause: error,
  })
}

/** The driver's own sentence, without the SQL knex puts in front of it. */
export function driverMessage(error: unknown, sql?: string): string {
  const message = errorField(error, 'sqlMessage') ?? errorField(error, 'message') ?? String(error)
  return sql && message.startsWith(`${sql} - `) ? message.slice(sql.length + 3) : message
}

/** Rule helper: a driver error whose `field` is one of `values`. */
export const byField = (field: string, ...values: Array<string | number>) => {
  const wanted = new Set(values.map(String))
  return (error: unknown) => wanted.has(errorField(error, field) ?? '')
}

/**
 * `text` with every bound value it echoes replaced by `?`. Drivers quote the offending value in
 * some messages (`invalid input syntax for type integer: "abc"`, `Incorrect integer value: 'abc'`),
 * sometimes cut short; a quoted part that is, contains or begins a bound value goes, and so does
 * any other appearance of a bound value of three or more characters.
 */
export function withoutValues(text: string, bindings: readonly unknown[]): string {
  const values = bindings.flatMap(valueText)
  if (!values.length) return text
  let out = text.replace(/(["'])((?:(?!\1)[^\n])*)\1/g, (whole, quote: string, inner: string) =>
    values.some((v) => inner === v || (inner.length > 0 && inner.includes(v) && v.length >= 3) || (inner.length >= 4 && v.startsWith(inner)))
      ? `${quote}?${quote}`
      : whole,
  )
  for (const value of values.filter((v) => v.length >= 3).sort((a, b) => b.length - a.length)) {
    out = out.split(value).join('?')
  }
  return out
}

function valueText(value: unknown): string[] {
  if (typeof value === 'string') return value.length ? [value] : []
  if (typeof value === 'number' || typeof value === 'bigint') return [String(value)]
  if (value instanceof Date) return [value.toISOString()]
  if (Array.isArray(value)) return value.flatMap(valueText)
  if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
    try {
      return [JSON.stringify(value)]
    } catch {
      return []
    }
  }
  return []
}
