import type { Knex } from 'knex'
import type { DateStorage } from '../dialects/date-storage.js'
import { QuarryError } from '../errors/index.js'
import { invoke } from './where-builder.js'

export type AggregateFunction = 'count' | 'sum' | 'avg' | 'min' | 'max'

/** What an aggregate needs from a query: its shape, and its SQL without ordering or paging. */
export interface AggregateSource {
  readonly grouped: boolean
  readonly distinct: boolean
  readonly paged: boolean
  /** The knex to build on now. */
  knex(): Knex
  /** The query compiled on `knex`; `keepSelect` keeps the select list (and paging) for a subquery. */
  compileForAggregate(knex: Knex, keepSelect: boolean): Knex.QueryBuilder
  /** How the dialect stores dates: `min`/`max` of a date column is its epoch milliseconds, as a `Date` gives. */
  readonly dates?: DateStorage
}

const ALIAS = 'aggregate'

/**
 * Runs `fn(column)` over the rows the query would return and resolves to a number on every
 * database (drivers return counts and sums as strings or bigints on some). A grouped, distinct
 * or paged query is wrapped: `select count(*) from (…) as q`.
 */
export async function runAggregate(source: AggregateSource, fn: AggregateFunction, column: string): Promise<number | null> {
  const knex = source.knex()
  let builder: Knex.QueryBuilder
  if (source.grouped || source.distinct || source.paged) {
    if (source.grouped && fn !== 'count') {
      throw new QuarryError(`${fn}() over a grouped query is ambiguous; select the aggregate with selectRaw() instead`)
    }
    const inner = source.compileForAggregate(knex, true)
    if (fn === 'count') {
      if (!source.distinct && column === '*') inner.clearSelect().select(knex.raw('1 as ??', ['one']))
      builder = knex.queryBuilder().from(inner.as('q')).count({ [ALIAS]: column === '*' ? '*' : `q.${lastPart(column)}` })
    } else {
      if (!source.distinct) inner.clearSelect().select({ [ALIAS]: column })
      builder = knex.queryBuilder().from(inner.as('q'))
      invoke(builder, fn, { [ALIAS]: `q.${source.distinct ? lastPart(column) : ALIAS}` })
    }
  } else {
    builder = source.compileForAggregate(knex, false)
    invoke(builder, fn, { [ALIAS]: column })
  }
  const rows = (await builder) as Array<Record<string, unknown>>
  const value = rows[0]?.[ALIAS]
  return toNumber(value, fn, source.dates)
}

function lastPart(column: string): string {
  return column.slice(column.lastIndexOf('.') + 1)
}

function toNumber(value: unknown, fn: AggregateFunction, dates?: DateStorage): number | null {
  if (value === null || value === undefined) return fn === 'count' || fn === 'sum' ? 0 : null
  if (typeof value === 'number') return value
  if (typeof value === 'bigint') return Number(value)
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value)
  if (value instanceof Date) return value.getTime()
  // min/max over dates stored as text (SQLite, libSQL): their epoch milliseconds, as a Date gives.
  const date = (fn === 'min' || fn === 'max') && typeof value === 'string' ? dates?.read(value, 'auto') : undefined
  if (date) return date.getTime()
  // min/max over a text column: there is no number to give.
  throw new QuarryError(`${fn}() returned ${JSON.stringify(value)}, which is not a number; use selectRaw() for non-numeric aggregates`)
}
