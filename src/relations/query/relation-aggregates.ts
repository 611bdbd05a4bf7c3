import type { Knex } from 'knex'
import { QuarryError } from '../../errors/index.js'
import type { Model } from '../../model/model.js'
import { modelMetadata } from '../../model/model.js'
import type { ModelMetadata } from '../../model/model-metadata.js'
import type { Row } from '../../query/query-target.js'
import { rowCopier } from '../../model/row-copier.js'
import { resolveColumn } from '../../model/column-resolver.js'
import type { Constraint, SubquerySource } from '../relation.js'
import { checkPath, relationOf } from '../relation-lookup.js'
import { correlated } from './relation-exists.js'
import type { TableScope } from './table-scope.js'

export type AggregateFunction = 'count' | 'sum' | 'avg' | 'min' | 'max'

/** One `withCount`/`withSum`/… request: a select item and where its value lands in `$extras`. */
export interface RelationAggregate {
  readonly alias: string
  readonly fn: AggregateFunction
  /** `(select count(*) from … where <correlated>) as "alias"`. */
  select(knex: Knex): Knex.Raw
}

interface Level {
  readonly source: SubquerySource
  /** The aggregated column, qualified, for the last level. */
  readonly column: string | undefined
}

/**
 * `withCount('posts')`, `withSum('posts', 'views')`, … as a correlated subquery in the select
 * list of the query over `meta` (its table named `parentRef`). A dotted path aggregates the last
 * relation's rows reached through the ones before it (`withCount('posts.comments')`: every
 * comment on the user's posts), nested as `exists` subqueries. On a morphTo the subqueries of its
 * types are combined (a count is their sum; the others the one that matched).
 */
export function relationAggregate(
  meta: ModelMetadata,
  parentRef: string,
  fn: AggregateFunction,
  path: string,
  column: string | undefined,
  constrain: Constraint,
  alias: string | undefined,
  outer?: TableScope,
): RelationAggregate {
  const segments = checkPath(meta, path)
  if (fn !== 'count' && (typeof column !== 'string' || !column)) throw new QuarryError(`with${capitalise(fn)}('${path}', column): name the column to aggregate`)
  if (alias !== undefined && (typeof alias !== 'string' || !alias)) throw new QuarryError(`with${capitalise(fn)}('${path}', …): the alias must be a non-empty string`)
  const taken = new Set([parentRef])
  const chain: SubquerySource[] = []
  let current = meta
  let last: SubquerySource[] = []
  segments.forEach((segment, index) => {
    const relation = relationOf(current, segment)
    const isLast = index === segments.length - 1
    const Related = relation.relatedClass()
    if (!Related && segments.length > 1) {
      throw new QuarryError(`with${capitalise(fn)}('${path}'): ${relation.label} is a morphTo; aggregate over it on its own, not in a dotted path`)
    }
    // Each level's constraint may name the root query's tables (the levels before it are nested
    // inside its subquery, not around it).
    const sources = relation.subqueries(taken, isLast ? constrain : undefined, outer)
    if (isLast) last = sources
    else chain.push(sources[0]!)
    for (const source of sources) for (const name of source.tables) taken.add(name)
    if (Related) current = modelMetadata(Related)
  })
  const levels: Level[] = last.map((source) => ({
    source,
    column: column === undefined ? undefined : qualified(source.ref, source.meta, column),
  }))
  const name = alias ?? defaultAlias(fn, segments, column)
  return {
    alias: name,
    fn,
    select(knex: Knex): Knex.Raw {
      const parts = levels.map((level) => {
        const builder = chain.length ? nested(knex, chain, level.source, parentRef) : correlated(level.source, knex, parentRef)
        return builder.select(fn === 'count' ? knex.raw('count(*)') : knex.raw(`${fn}(??)`, [level.column!]))
      })
      const joiner = fn === 'count' ? ' + ' : ', '
      const expression = parts.length === 1 ? '?' : fn === 'count' ? parts.map(() => '?').join(joiner) : `coalesce(${parts.map(() => '?').join(joiner)})`
      return knex.raw(`${parts.length > 1 && fn === 'count' ? `(${expression})` : expression} as ??`, [...parts, name])
    },
  }
}

/**
 * The last level's rows, tied to the root row through the levels before it:
 * `from comments where exists (select * from posts where <comments→posts> and <posts→users>)`.
 */
function nested(knex: Knex, chain: readonly SubquerySource[], last: SubquerySource, parentRef: string): Knex.QueryBuilder {
  const outer = last.build(knex)
  const levels = [...chain, last]
  let enclosing = outer
  for (let k = chain.length - 1; k >= 0; k--) {
    const level = chain[k]!
    const inner = level.build(knex)
    levels[k + 1]!.correlate(inner, knex, level.ref)
    if (k === 0) level.correlate(inner, knex, parentRef)
    enclosing.whereExists(inner)
    enclosing = inner
  }
  return outer
}

/** The aggregated column on the related table (on each of a morphTo's types), checked against its model. */
function qualified(ref: string, meta: ModelMetadata, column: string): string {
  const name = resolveColumn(meta, column)
  return name.includes('.') ? name : `${ref}.${name}`
}

/** `postsCount`, `postsCommentsCount`, `postsSumViews`. */
function defaultAlias(fn: AggregateFunction, segments: readonly string[], column: string | undefined): string {
  const base = segments.map((s, i) => (i === 0 ? s : capitalise(s))).join('')
  if (fn === 'count') return `${base}Count`
  const columnPart = column!.slice(column!.lastIndexOf('.') + 1).replace(/_([a-z\d])/g, (_, c: string) => c.toUpperCase())
  return `${base}${capitalise(fn)}${capitalise(columnPart)}`
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/**
 * Moves the aggregates of each model into `$extras` as numbers (drivers give counts and sums as
 * strings or bigints on some). They come in the row when nothing else customised the select list
 * (hydration then takes the fast path). The row is copied without them rather than having them
 * deleted: a `delete` turned every row into a dictionary-mode object, slow to delete from (450 ns
 * a row) and slow to read afterwards.
 */
export function takeAggregates(models: readonly Model[], aggregates: readonly RelationAggregate[]): void {
  const count = aggregates.length
  const aliases = new Set(aggregates.map((a) => a.alias))
  // The models come from one statement, so their rows share their columns: the ones to keep are
  // listed once.
  let copyRow: ((row: Row) => Row) | undefined
  for (const model of models) {
    const row = model.$attributes
    const extras = (model.$extrasStore ??= {})
    let found = false
    for (let j = 0; j < count; j++) {
      const alias = aggregates[j]!.alias
      const inRow = alias in row
      found ||= inRow
      extras[alias] = asNumber(inRow ? row[alias] : extras[alias], aggregates[j]!.fn)
    }
    if (!found) continue
    copyRow ??= rowCopier(Object.keys(row).filter((key) => !aliases.has(key)))
    const copy = copyRow(row)
    if (model.$originalAttributes === row) model.$originalAttributes = copy
    model.$attributes = copy
  }
}

function asNumber(value: unknown, fn: AggregateFunction): unknown {
  if (value === null || value === undefined) return fn === 'count' || fn === 'sum' ? 0 : null
  if (typeof value === 'number') return value
  if (typeof value === 'bigint') return Number(value)
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value)
  return value
}
