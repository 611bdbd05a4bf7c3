import type { Knex } from 'knex'
import type { Model } from '../../model/model.js'
import type { ModelMetadata } from '../../model/model-metadata.js'
import { rowCopier } from '../../model/row-copier.js'
import type { OrderItem } from '../../query/order.js'

/** The column holding each related row's rank within its parent; never reaches a model. */
export const ROW_NUMBER = 'quarry_row'
const RANKED = 'quarry_ranked'

/** What an eager query with a limit or an offset needs to apply them to each parent. */
export interface PerParent {
  /** The qualified column naming the parent of each row (`posts.author_id`, `role_user.user_id`). */
  readonly partition: string
  readonly orders: readonly OrderItem[]
  readonly limit: number | undefined
  readonly offset: number | undefined
  /** The related model, and how its table is named in the query. */
  readonly meta: ModelMetadata
  readonly ref: string
  /** Nothing is selected yet: the related table's columns are added before the rank. */
  readonly selectsNothing: boolean
}

/**
 * An eager query's limit and offset, applied to each parent rather than to all of them: the
 * query (without its ordering and paging) ranks its rows within their parent by the constraint's
 * ordering, and an outer query keeps the ranks asked for.
 *
 * ```sql
 * select * from (
 *   select posts.*, row_number() over (partition by posts.author_id order by posts.id desc) as quarry_row
 *   from posts where posts.author_id in (?, ?)
 * ) as quarry_ranked where quarry_row > ? and quarry_row <= ? order by quarry_row
 * ```
 *
 * One statement still; window functions are in every supported database (SQLite ≥ 3.25,
 * MariaDB ≥ 10.2, MySQL 8, PostgreSQL, CockroachDB). Without an ordering the related primary key
 * orders the ranks, so which rows are kept is stable.
 */
export function rankedPerParent(inner: Knex.QueryBuilder, knex: Knex, how: PerParent): Knex.QueryBuilder {
  if (how.selectsNothing) inner.select(`${how.ref}.*`)
  const orderSql: string[] = []
  const bindings: unknown[] = [how.partition]
  const orders = how.orders.length ? how.orders : how.meta.primaryKey.map((key): OrderItem => ({ column: key.column, direction: 'asc' }))
  for (const order of orders) {
    if ('raw' in order) {
      orderSql.push(order.raw)
      bindings.push(...order.bindings)
    } else {
      orderSql.push(`?? ${order.direction}`)
      bindings.push(qualified(order.column, how))
    }
  }
  bindings.push(ROW_NUMBER)
  const over = `partition by ??${orderSql.length ? ` order by ${orderSql.join(', ')}` : ''}`
  inner.select(knex.raw(`row_number() over (${over}) as ??`, bindings as Knex.RawBinding[]))
  const outer = knex.queryBuilder().select('*').from(inner.as(RANKED))
  const offset = how.offset ?? 0
  if (offset > 0) outer.where(ROW_NUMBER, '>', offset)
  if (how.limit !== undefined) outer.where(ROW_NUMBER, '<=', offset + how.limit)
  outer.orderBy(ROW_NUMBER)
  const writer = (inner as unknown as { _quarryWriter?: boolean })._quarryWriter
  if (writer) (outer as unknown as { _quarryWriter: boolean })._quarryWriter = true
  return outer
}

/**
 * An ordering column as the window sees it: a bare column of the related model is qualified (a
 * joined pivot with its own `id` would make it ambiguous there, where the select list's names do
 * not apply).
 */
function qualified(column: string, how: PerParent): string {
  return !column.includes('.') && how.meta.byColumn.has(column) ? `${how.ref}.${column}` : column
}

/**
 * Takes the rank off models read by a ranked query: out of `$attributes` (copied without it, so
 * the row keeps its shape) or out of `$extras` when the select list was customised. Costs one
 * look at the first model when the query was not ranked.
 */
export function dropRowNumbers(models: readonly Model[]): void {
  const first = models[0]
  if (first === undefined) return
  if (ROW_NUMBER in first.$attributes) {
    const copy = rowCopier(Object.keys(first.$attributes).filter((key) => key !== ROW_NUMBER))
    for (const model of models) {
      const row = model.$attributes
      const original = model.$originalAttributes
      // A `retrieved` hook that wrote an attribute has parted the two already.
      const trimmed = ROW_NUMBER in row ? copy(row) : row
      if (original === row) model.$originalAttributes = trimmed
      else if (original && ROW_NUMBER in original) model.$originalAttributes = rowCopier(Object.keys(original).filter((key) => key !== ROW_NUMBER))(original)
      model.$attributes = trimmed
    }
    return
  }
  if (first.$extrasStore === undefined || !(ROW_NUMBER in first.$extrasStore)) return
  for (const model of models) {
    const extras = model.$extrasStore
    if (!extras) continue
    delete extras[ROW_NUMBER]
    let empty = true
    for (const _ in extras) {
      empty = false
      break
    }
    if (empty) model.$extrasStore = undefined
  }
}
