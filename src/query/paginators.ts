import { QuarryError } from '../errors/index.js'
import { cursorSignature, decodeCursor, encodeCursor } from './cursor-codec.js'
import { checkCount } from './direction.js'
import { type KeysetColumn, nullsSortFirst, reversed, whereAfter } from './keyset.js'
import { unqualified } from './order.js'
import type { QueryBuilder } from './query-builder.js'

/** `paginate()`'s page description. */
export interface PageMeta {
  total: number
  perPage: number
  currentPage: number
  lastPage: number
  firstPage: number
  hasMorePages: boolean
}

/** One page of `paginate()`. */
export interface Page<T> {
  data: T[]
  meta: PageMeta
}

/** One slice of `cursorPaginate()`; pass a cursor back to get the next or previous slice. */
export interface CursorPage<T> {
  data: T[]
  nextCursor: string | null
  prevCursor: string | null
}

// The paginators see every query as a builder of unknown column names: names are resolved already.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyQuery<T> = QueryBuilder<T, string, any>

export async function paginate<T>(query: AnyQuery<T>, page: number, perPage: number): Promise<Page<T>> {
  checkCount('paginate() page', page, 1)
  checkCount('paginate() perPage', perPage, 1)
  // Checked before the count query is sent, as forPage() would check it after.
  checkCount('paginate() offset, (page - 1) * perPage,', (page - 1) * perPage)
  const [total, data] = await Promise.all([
    query.$narrowed(undefined, [], undefined, undefined).count(),
    query.clone().forPage(page, perPage).get(),
  ])
  const lastPage = Math.max(1, Math.ceil(total / perPage))
  return { data, meta: { total, perPage, currentPage: page, lastPage, firstPage: 1, hasMorePages: page < lastPage } }
}

/** The query's orderings plus the primary key as the tie-breaker: a total order to page by. */
function keysetOf(query: AnyQuery<unknown>, what: string): KeysetColumn[] {
  const keys: KeysetColumn[] = []
  const primary = new Set(query.target.primaryKey)
  for (const order of query.$state.orders) {
    if ('raw' in order) throw new QuarryError(`${what} cannot page by orderByRaw(); order by columns instead`)
    keys.push({ ...order, notNull: primary.has(unqualified(order.column)) })
  }
  const seen = new Set(keys.map((key) => unqualified(key.column)))
  const direction = keys.length ? keys[keys.length - 1]!.direction : 'asc'
  for (const column of query.target.primaryKey) {
    if (!seen.has(column)) keys.push({ column: `${query.target.table}.${column}`, direction, notNull: true })
  }
  if (!keys.length) throw new QuarryError(`${what} needs an orderBy() or a primary key on ${query.target.name}`)
  return keys
}

function valuesOf<T>(query: AnyQuery<T>, keys: readonly KeysetColumn[], item: T): unknown[] {
  return keys.map((key) => {
    const value = query.target.valueOf(item, unqualified(key.column))
    if (value === undefined) {
      throw new QuarryError(`Keyset pagination needs "${unqualified(key.column)}" in the selected columns of ${query.target.name}`)
    }
    return value
  })
}

export async function cursorPaginate<T>(query: AnyQuery<T>, perPage: number, cursor: string | null): Promise<CursorPage<T>> {
  checkCount('cursorPaginate() perPage', perPage, 1)
  const keys = keysetOf(query, 'cursorPaginate()')
  const signature = cursorSignature([query.target.name, query.target.table, ...keys.map((k) => `${k.column} ${k.direction}`)])
  // Decoded before any query is sent, so a bad cursor costs nothing.
  const position = cursor === null ? null : decodeCursor(cursor, signature, keys.length)
  const nullsFirst = await nullsSortFirst(query.target.connection())
  const backwards = position?.direction === 'prev'
  const order = backwards ? reversed(keys) : keys
  const after = position ? (b: Parameters<typeof whereAfter>[0]) => whereAfter(b, order, position.values, nullsFirst) : undefined
  const items = await query.$narrowed(after, order, perPage + 1, undefined).get()
  const more = items.length > perPage
  const data = items.slice(0, perPage)
  if (backwards) data.reverse()
  const at = (item: T | undefined, direction: 'next' | 'prev') =>
    encodeCursor(signature, { direction, values: item === undefined ? position!.values : valuesOf(query, keys, item) })
  if (!backwards) {
    return {
      data,
      nextCursor: more ? at(data[data.length - 1], 'next') : null,
      prevCursor: position ? at(data[0], 'prev') : null,
    }
  }
  return {
    data,
    nextCursor: at(data[data.length - 1], 'next'),
    prevCursor: more ? at(data[0], 'prev') : null,
  }
}

/**
 * Successive batches of at most `size` results, honouring the query's own limit and offset.
 * Keyset batches (by the orderings and the primary key) when the order allows, else offset ones.
 */
async function* batches<T>(query: AnyQuery<T>, size: number): AsyncGenerator<T[]> {
  const { orders, limit, offset } = query.$state
  let remaining = limit ?? Number.POSITIVE_INFINITY
  if (orders.some((order) => 'raw' in order)) {
    let skip = offset ?? 0
    while (remaining > 0) {
      const take = Math.min(size, remaining)
      const items = await query.$narrowed(undefined, [...orders], take, skip).get()
      if (items.length) yield items
      if (items.length < take) return
      skip += items.length
      remaining -= items.length
    }
    return
  }
  const keys = keysetOf(query, 'chunk()/cursor()')
  const nullsFirst = await nullsSortFirst(query.target.connection())
  let values: unknown[] | undefined
  let first = true
  while (remaining > 0) {
    const take = Math.min(size, remaining)
    const from = values
    const after = from ? (b: Parameters<typeof whereAfter>[0]) => whereAfter(b, keys, from, nullsFirst) : undefined
    const items = await query.$narrowed(after, keys, take, first ? offset : undefined).get()
    first = false
    if (items.length) yield items
    if (items.length < take) return
    values = valuesOf(query, keys, items[items.length - 1]!)
    remaining -= items.length
  }
}

export async function chunk<T>(query: AnyQuery<T>, size: number, fn: (items: T[], index: number) => unknown): Promise<void> {
  checkCount('chunk() size', size, 1)
  let index = 0
  for await (const items of batches(query, size)) {
    if ((await fn(items, index++)) === false) return
  }
}

export async function* cursor<T>(query: AnyQuery<T>, batchSize: number): AsyncIterableIterator<T> {
  for await (const items of batches(query, batchSize)) yield* items
}
