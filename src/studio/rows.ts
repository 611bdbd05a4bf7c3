import { QuarryError } from '../errors/index.js'
import type { Model } from '../model/model.js'
import type { ModelQuery } from '../model/model-query.js'
import type { Relation } from '../relations/relation.js'
import { type StudioColumn, type StudioModel, StudioNotFound } from './catalog.js'
import { FieldInputError, inputFor, keyOf, rowFor } from './values.js'

/** A filter on one column: `eq`, `contains`, `null`, `notNull`, `gte`, `lte`. */
export interface RowFilter {
  column: string
  op: 'eq' | 'contains' | 'null' | 'notNull' | 'gte' | 'lte'
  value?: unknown
}

/** What the rows page asks for. */
export interface RowsRequest {
  page: number
  perPage: number
  sort?: string
  direction: 'asc' | 'desc'
  filters: RowFilter[]
  /** Skip the count (big tables): `total` is then null. */
  count: boolean
}

/** A page of rows. */
export interface RowsPage {
  rows: Array<Record<string, unknown>>
  keys: unknown[]
  page: number
  perPage: number
  total: number | null
  hasMore: boolean
}

/** A bad request the page made: 400 with this message. */
export class StudioRequestError extends QuarryError {
  override readonly code = 'E_STUDIO_REQUEST'
}

const OPS = new Set(['eq', 'contains', 'null', 'notNull', 'gte', 'lte'])

/** Reads a rows request from the URL's query string, refusing what it cannot use. */
export function parseRowsRequest(model: StudioModel, params: URLSearchParams): RowsRequest {
  const page = whole(params.get('page') ?? '1', 'page', 1)
  const perPage = Math.min(whole(params.get('perPage') ?? '25', 'perPage', 1), 200)
  const direction = params.get('direction') === 'desc' ? 'desc' : 'asc'
  const sort = params.get('sort') ?? undefined
  if (sort !== undefined) columnOf(model, sort)
  let filters: RowFilter[] = []
  const raw = params.get('filters')
  if (raw) {
    try {
      filters = JSON.parse(raw) as RowFilter[]
    } catch {
      throw new StudioRequestError('filters: expected JSON, e.g. [{"column":"name","op":"contains","value":"ada"}]')
    }
    if (!Array.isArray(filters)) throw new StudioRequestError('filters: expected an array')
    for (const filter of filters) {
      if (!filter || typeof filter !== 'object' || !OPS.has(filter.op)) {
        throw new StudioRequestError(`filters: each needs column and op (one of ${[...OPS].join(', ')})`)
      }
      const column = columnOf(model, filter.column)
      if (filter.op === 'contains' && column.kind !== 'text') throw new StudioRequestError(`filters: contains applies to text columns; ${column.property} is ${column.kind}`)
      if (column.masked && filter.op !== 'null' && filter.op !== 'notNull') throw new StudioRequestError(`filters: ${column.property} is masked; only null / not null filters apply`)
    }
  }
  return { page, perPage, sort, direction, filters, count: params.get('count') !== '0' }
}

/** One page of a model's rows, as the request sorts and filters them. */
export async function listRows(model: StudioModel, request: RowsRequest): Promise<RowsPage> {
  const query = filtered(model, request.filters)
  return page(model, query, request)
}

/** Applies the filters to a fresh query on the model. */
function filtered(model: StudioModel, filters: readonly RowFilter[], base?: ModelQuery<Model>): ModelQuery<Model> {
  const query = (base ?? model.model.query()) as ModelQuery<Model>
  const q = query as unknown as {
    where(c: string, op: string, v: unknown): unknown
    whereNull(c: string): unknown
    whereNotNull(c: string): unknown
    whereILike(c: string, v: string): unknown
  }
  for (const filter of filters) {
    const column = columnOf(model, filter.column)
    if (filter.op === 'null') q.whereNull(column.column)
    else if (filter.op === 'notNull') q.whereNotNull(column.column)
    // Case-insensitive; % and _ in the text act as LIKE's wildcards.
    else if (filter.op === 'contains') q.whereILike(column.column, `%${String(filter.value ?? '')}%`)
    else q.where(column.column, filter.op === 'eq' ? '=' : filter.op === 'gte' ? '>=' : '<=', valueFor(column, filter.value))
  }
  return query
}

async function page(model: StudioModel, query: ModelQuery<Model>, request: Pick<RowsRequest, 'page' | 'perPage' | 'sort' | 'direction' | 'count'>): Promise<RowsPage> {
  const total = request.count ? await query.clone().count() : null
  const sorted = query.clone() as unknown as { orderBy(c: string, d: string): unknown; limit(n: number): unknown; offset(n: number): unknown }
  if (request.sort) sorted.orderBy(columnOf(model, request.sort).column, request.direction)
  for (const key of model.meta.primaryKey) if (key.property !== request.sort) sorted.orderBy(key.column, request.direction)
  sorted.limit(request.perPage + 1)
  sorted.offset((request.page - 1) * request.perPage)
  const found = (await (sorted as unknown as Promise<Model[]>))
  const rows = found.slice(0, request.perPage)
  return {
    rows: rows.map((row) => rowFor(model, row)),
    keys: rows.map((row) => keyOf(model, row)),
    page: request.page,
    perPage: request.perPage,
    total: total === null ? null : Number(total),
    hasMore: found.length > request.perPage,
  }
}

/** One row by its key, or 404. */
export async function findRow(model: StudioModel, key: string): Promise<Model> {
  const [primary, more] = model.meta.primaryKey
  if (!primary || more) throw new StudioRequestError(`${model.name} has no single primary key; the studio opens rows by key`)
  const column = model.columns.find((c) => c.property === primary.property)!
  let id: unknown
  try {
    id = column.kind === 'number' ? inputFor(column, key) : key
  } catch (error) {
    throw new StudioNotFound(`No ${model.name} with key ${key}: ${(error as Error).message}`)
  }
  const found = await model.model.find(id)
  if (!found) throw new StudioNotFound(`No ${model.name} with key ${key}`)
  return found
}

/** A row with its relations: to-one ones as a link, to-many ones as their first page. */
export async function rowWithRelations(model: StudioModel, catalog: readonly StudioModel[], key: string): Promise<Record<string, unknown>> {
  const row = await findRow(model, key)
  const relations: Record<string, unknown> = {}
  for (const relation of model.relations) {
    relations[relation.name] = relation.many
      ? await relatedPage(model, catalog, row, relation.name, 1)
      : await relatedOne(model, catalog, row, relation.name)
  }
  return { row: rowFor(model, row), key: keyOf(model, row), relations }
}

async function relatedOne(model: StudioModel, catalog: readonly StudioModel[], row: Model, name: string): Promise<unknown> {
  const relation = relationOf(model, name)
  let found: Model | null
  try {
    found = await (relation.queryFor(row) as unknown as { first(): Promise<Model | null> }).first()
  } catch (error) {
    return { error: (error as Error).message }
  }
  if (!found) return { model: null, key: null }
  const target = catalog.find((m) => m.model === found!.constructor) ?? catalog.find((m) => m.name === found!.constructor.name)
  return { model: target?.name ?? found.constructor.name, key: target ? keyOf(target, found) : null, row: target ? rowFor(target, found) : null }
}

/** A page (10 rows) of a to-many relation of one row. */
export async function relatedPage(model: StudioModel, catalog: readonly StudioModel[], row: Model, name: string, pageNumber: number): Promise<unknown> {
  const relation = relationOf(model, name)
  const relatedClass = relation.relatedClass()
  const target = catalog.find((m) => m.model === relatedClass)
  if (!target) return { error: `${relatedClass?.name ?? 'the related model'} is not in the models directory` }
  const result = await page(target, relation.queryFor(row), { page: pageNumber, perPage: 10, direction: 'asc', count: true })
  return { model: target.name, ...result }
}

function relationOf(model: StudioModel, name: string): Relation {
  const relation = model.meta.relations.get(name) as Relation | undefined
  if (!relation || !model.relations.some((r) => r.name === name)) throw new StudioNotFound(`${model.name} has no relation ${name}`)
  return relation.boot()
}

/** The column named by property (or column name), or a 400. */
export function columnOf(model: StudioModel, name: unknown): StudioColumn {
  const found = model.columns.find((c) => c.property === name) ?? model.columns.find((c) => c.column === name)
  if (!found) throw new StudioRequestError(`${model.name} has no column ${String(name)}; its columns are: ${model.columns.map((c) => c.property).join(', ')}`)
  return found
}

function valueFor(column: StudioColumn, value: unknown): unknown {
  try {
    const converted = inputFor(column, value)
    // A date column is compared with a calendar day, as every dialect stores one (not a timestamp).
    if (column.kind === 'date' && converted instanceof Date) return converted.toISOString().slice(0, 10)
    return converted
  } catch (error) {
    if (error instanceof FieldInputError) throw new StudioRequestError(`filters: ${column.property}: ${error.message}`)
    throw error
  }
}

function whole(text: string, name: string, min: number): number {
  const n = Number(text)
  if (!Number.isInteger(n) || n < min) throw new StudioRequestError(`${name}: expected a whole number of at least ${min}, got ${JSON.stringify(text)}`)
  return n
}
