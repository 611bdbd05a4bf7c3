import { ModelNotFoundError, QuarryError, UniqueViolationError } from '../errors/index.js'
import { unknownColumn } from './column-resolver.js'
import { PreparedQuery } from '../connection/prepared-query.js'
import { bulkInsert } from '../query/bulk-insert.js'
import type { Row } from '../query/query-target.js'
import { hydrate } from './hydrate.js'
import { assignments } from './mass-assignment.js'
import type { Model } from './model.js'
import { ModelAdapter } from './model-adapter.js'
import type { ModelMetadata } from './model-metadata.js'
import type { ModelQuery } from './model-query.js'
import { uuidv7 } from './uuid.js'

/** What the finders need of a model class. */
export interface FinderClass<M extends Model> {
  new (): M
  query(): ModelQuery<M>
  readonly name: string
}

/** The compiled `find(id)` of each model, per dialect. */
const findShapes = new WeakMap<ModelMetadata, Map<string, PreparedQuery>>()

/** `find` by primary key (a value, or an object for a composite key). */
export async function find<M extends Model>(Class: FinderClass<M>, id: unknown, meta?: ModelMetadata): Promise<M | null> {
  const [key, more] = meta?.primaryKey ?? []
  const scoped = !meta || meta.deletedAt || (Class as { globalScopes?: object }).globalScopes
  if (key && !more && !scoped && (typeof id === 'number' || typeof id === 'string')) {
    // The hot path: one key, nothing to scope. The same SQL the query builder would send,
    // compiled once per model and dialect; a call only binds its key.
    const connection = ModelAdapter.connection(meta)
    const shapes = findShapes.get(meta) ?? findShapes.set(meta, new Map()).get(meta)!
    const named = connection.dialect.supports.namedStatements && connection.config.preparedStatements
    const shapeKey = named ? `${connection.dialect.name}:named` : connection.dialect.name
    let shape = shapes.get(shapeKey)
    if (!shape) {
      shape = PreparedQuery.from(connection.knex(meta.table).where(key.column, PreparedQuery.slot(0)).limit(1, { skipBinding: true }), named)
      shapes.set(shapeKey, shape)
    }
    const rows = (await shape.run(connection.current(), [id])) as Row[]
    if (!rows.length) return null
    const [model] = await hydrate<M>(meta, rows, false, connection.dialect.dates)
    return model ?? null
  }
  return Class.query().whereKey(id).first()
}

export async function findOrFail<M extends Model>(Class: FinderClass<M>, id: unknown, meta?: ModelMetadata): Promise<M> {
  const found = await find(Class, id, meta)
  if (!found) throw new ModelNotFoundError(Class.name, id)
  return found
}

/** `findMany([1, 2])`: the models with these keys, in no particular order. */
export function findMany<M extends Model>(Class: FinderClass<M>, meta: ModelMetadata, ids: readonly unknown[]): Promise<M[]> {
  if (!Array.isArray(ids)) throw new QuarryError(`${meta.name}.findMany() expects an array of keys`)
  if (!ids.length) return Promise.resolve([])
  if (meta.primaryKey.length === 1) {
    return Class.query().whereIn(meta.primaryKey[0]!.column as never, ids as string[]).get()
  }
  return Class.query().where((q) => {
    for (const id of ids) q.orWhere((one) => one.whereKey(id))
  }).get()
}

/** The search conditions of `firstOrCreate` and friends, by column. */
function searchQuery<M extends Model>(Class: FinderClass<M>, meta: ModelMetadata, search: object): ModelQuery<M> {
  const pairs = assignments(meta, search, undefined)
  if (!pairs.length) throw new QuarryError(`${meta.name}: the search attributes are empty`)
  const query = Class.query()
  for (const [property, value] of pairs) {
    const column = meta.byProperty.get(property)!
    const cast = column.effectiveCast
    if (value === null || value === undefined) query.whereNull(column.column as never)
    else query.where(column.column as never, (cast ? cast.set(cast.assign ? cast.assign(value) : value) : value) as string)
  }
  return query
}

/**
 * Runs `create` and, when a unique index refuses it because someone else created the row first,
 * resolves to that row instead: concurrent callers all end up with the one row. The row is read
 * back with a locking read (on the primary), which sees the latest committed row even inside a
 * transaction whose snapshot predates it (MySQL's REPEATABLE READ).
 */
async function createOrFind<M extends Model>(
  meta: ModelMetadata,
  create: () => Promise<M>,
  find: () => Promise<M | null>,
): Promise<{ model: M; created: boolean }> {
  try {
    return { model: await ModelAdapter.recoverable(meta, create), created: true }
  } catch (error) {
    if (!(error instanceof UniqueViolationError)) throw error
    const existing = await find()
    if (!existing) throw error
    return { model: existing, created: false }
  }
}

export async function firstOrCreate<M extends Model>(Class: FinderClass<M>, meta: ModelMetadata, search: object, extra: object = {}): Promise<M> {
  const query = searchQuery(Class, meta, search)
  const existing = await query.first()
  if (existing) return existing
  const result = await createOrFind(
    meta,
    async () => {
      const model = new Class().fill({ ...search, ...extra } as never)
      await model.save()
      return model
    },
    () => query.clone().forShare().first(),
  )
  return result.model
}

export async function firstOrNew<M extends Model>(Class: FinderClass<M>, meta: ModelMetadata, search: object, extra: object = {}): Promise<M> {
  const existing = await searchQuery(Class, meta, search).first()
  return existing ?? new Class().fill({ ...search, ...extra } as never)
}

export async function updateOrCreate<M extends Model>(Class: FinderClass<M>, meta: ModelMetadata, search: object, values: object = {}): Promise<M> {
  const query = searchQuery(Class, meta, search)
  const existing = await query.first()
  if (existing) {
    await existing.fill(values as never).save()
    return existing
  }
  const { model, created } = await createOrFind(
    meta,
    async () => {
      const model = new Class().fill({ ...search, ...values } as never)
      await model.save()
      return model
    },
    () => query.clone().forShare().first(),
  )
  if (!created) await model.fill(values as never).save()
  return model
}

/** Rows for `insert`/`upsert`: by column, casts applied, keys and timestamps filled in. */
export function prepareRows(meta: ModelMetadata, rows: readonly object[], what: string): Row[] {
  if (!Array.isArray(rows)) throw new QuarryError(`${meta.name}.${what}() expects an array of objects`)
  const now = new Date()
  return rows.map((attributes) => {
    const row: Row = {}
    for (const [property, value] of assignments(meta, attributes, undefined)) {
      const column = meta.byProperty.get(property)!
      const cast = column.effectiveCast
      row[column.column] = value === null || value === undefined || !cast ? value : cast.set(cast.assign ? cast.assign(value) : value)
    }
    for (const key of meta.primaryKey) {
      if (key.keyType === 'uuid' && row[key.column] == null) row[key.column] = uuidv7()
    }
    for (const stamp of [meta.createdAt, meta.updatedAt]) {
      if (stamp && row[stamp.column] == null) row[stamp.column] = now
    }
    if (meta.version && row[meta.version.column] == null) row[meta.version.column] = 1
    return row
  })
}

/** Bulk insert: no events, chunked to the driver's parameter limit, all or nothing. */
export function insertMany(meta: ModelMetadata, rows: readonly object[]): Promise<number> {
  return bulkInsert(ModelAdapter.connection(meta), meta.table, prepareRows(meta, rows, 'insert'))
}

// knex compiles multi-row inserts on SQLite as compound SELECTs, which SQLite caps at 500 terms.
const UPSERT_ROWS = 500

/**
 * `upsert(rows, ['email'], ['name'])`: inserts the rows, updating `updateColumns` (default: every
 * given column but the unique ones) where a row with the same `uniqueBy` exists. A unique index
 * must cover `uniqueBy`. Resolves to the number of rows given.
 */
export async function upsert(meta: ModelMetadata, rows: readonly object[], uniqueBy: readonly string[] | string, updateColumns?: readonly string[]): Promise<number> {
  const prepared = prepareRows(meta, rows, 'upsert')
  if (!prepared.length) return 0
  const unique = (typeof uniqueBy === 'string' ? [uniqueBy] : [...uniqueBy]).map((name) => columnName(meta, name, 'uniqueBy'))
  if (!unique.length) throw new QuarryError(`${meta.name}.upsert() needs the uniqueBy columns`)
  let update = updateColumns
    ? updateColumns.map((name) => columnName(meta, name, 'updateColumns'))
    : Object.keys(prepared[0]!).filter((c) => !unique.includes(c) && c !== meta.createdAt?.column)
  if (meta.updatedAt && !update.includes(meta.updatedAt.column)) update = [...update, meta.updatedAt.column]
  update = update.filter((c) => c !== meta.createdAt?.column || updateColumns !== undefined)
  const connection = ModelAdapter.connection(meta)
  const perStatement = Math.max(1, Math.min(UPSERT_ROWS, Math.floor(connection.dialect.maxBindings / Object.keys(prepared[0]!).length)))
  const run = async () => {
    for (let start = 0; start < prepared.length; start += perStatement) {
      const slice = prepared.slice(start, start + perStatement)
      const builder = ModelAdapter.table(meta).insert(slice).onConflict(unique)
      await (update.length ? builder.merge(update) : builder.ignore())
    }
    return prepared.length
  }
  return prepared.length > perStatement ? connection.transaction(run) : run()
}

function columnName(meta: ModelMetadata, name: string, what: string): string {
  const column = meta.lookup.get(name)
  if (!column) throw unknownColumn(meta, name, `${meta.name}.upsert() ${what}`)
  return column.column
}
