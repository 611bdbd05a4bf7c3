import type { Knex } from 'knex'
import type { Connection } from '../connection/connection.js'
import type { InsertedKeys } from '../dialects/dialect.js'
import { QuarryError } from '../errors/index.js'
import { listensTo } from '../events/index.js'
import { writeAttribute } from '../model/accessors.js'
import { snapshotContent } from '../model/hydrate.js'
import { writeReadBack } from '../model/persistence.js'
import type { Model } from '../model/model.js'
import { ModelAdapter } from '../model/model-adapter.js'
import type { ModelMetadata } from '../model/model-metadata.js'
import { uuidv7 } from '../model/uuid.js'
import type { Row } from '../query/query-target.js'
import { writeHooks } from '../relations/write-hooks.js'

/** The events a `create()` of one model fires. */
const CREATE_EVENTS = ['saving', 'creating', 'created', 'saved'] as const

/** Statement text stays well under every server's packet limit. */
const MAX_STATEMENT_BYTES = 4 * 1024 * 1024

/** How a batch reads back database-assigned keys. */
export interface BatchPlan {
  /** Without `RETURNING`: the keys from the INSERT's result (consecutive auto-increment). */
  readonly insertedKeys: InsertedKeys | undefined
}

/**
 * Whether inserting `models` in batches ends as saving each would: nothing listens for their
 * create events (no listener, no observer, or `withoutEvents`), no `touches` relation, every slug
 * given, and a database-assigned key can be read back (`INSERT … RETURNING`, or keys the dialect
 * knows to be consecutive). `undefined` when not: the factory then saves them one by one.
 */
export async function batchPlan(meta: ModelMetadata, models: readonly Model[]): Promise<BatchPlan | undefined> {
  if (models.length < 2 || listensTo(meta.ctor, CREATE_EVENTS) || writeHooks(meta).touches.length) return undefined
  for (const slug of meta.slugs) {
    if (models.some((m) => m.$attributes[slug.column] == null || m.$attributes[slug.column] === '')) return undefined
  }
  const key = meta.autoIncrement
  const connection = ModelAdapter.connection(meta)
  if (!key || connection.dialect.supports.returning || models.every((m) => m.$attributes[key.column] != null)) return { insertedKeys: undefined }
  const insertedKeys = await consecutiveKeys(connection)
  return insertedKeys ? { insertedKeys } : undefined
}

/** The dialect's answer, asked once per connection (it reads server settings that stay put). */
const askedKeys = new WeakMap<Connection, Promise<InsertedKeys | undefined>>()

function consecutiveKeys(connection: Connection): Promise<InsertedKeys | undefined> {
  let answer = askedKeys.get(connection)
  if (!answer) {
    answer = connection.dialect.consecutiveInsertKeys?.(connection.current()) ?? Promise.resolve(undefined)
    askedKeys.set(connection, answer)
    answer.catch(() => askedKeys.delete(connection))
  }
  return answer
}

/** The row to insert for `model`, keys, timestamps and version filled in as `save()` does. */
function prepare(meta: ModelMetadata, model: Model, now: Date): Row {
  for (const key of meta.primaryKey) {
    if (key.keyType === 'uuid' && model.$attributes[key.column] == null) writeAttribute(model, key.column, uuidv7())
  }
  for (const stamp of [meta.createdAt, meta.updatedAt]) {
    if (stamp && model.$attributes[stamp.column] == null) writeAttribute(model, stamp.column, now)
  }
  if (meta.version && model.$attributes[meta.version.column] == null) writeAttribute(model, meta.version.column, 1)
  const row: Row = {}
  for (const [column, value] of Object.entries(model.$attributes)) {
    if (value === undefined) continue
    const cast = meta.byColumn.get(column)?.effectiveCast
    row[column] = value === null || !cast ? value : cast.set(value)
  }
  return row
}

interface Group {
  columns: string[]
  models: Model[]
  rows: Row[]
}

/**
 * Inserts models a factory made in as few statements as the database allows (rows with the same
 * columns together, each statement within the bound-parameter and size limits), reading a
 * database-assigned key back with `RETURNING` (sorted: one statement assigns its keys in the
 * order of its rows) or from the dialect's consecutive keys. Run inside the factory's transaction. The models end as `save()`
 * leaves them: persisted, key set, nothing dirty.
 */
export async function insertBatch(meta: ModelMetadata, models: readonly Model[], plan: BatchPlan): Promise<void> {
  const connection = ModelAdapter.connection(meta)
  const now = new Date()
  const groups = new Map<string, Group>()
  for (const model of models) {
    const row = prepare(meta, model, now)
    const columns = Object.keys(row)
    const signature = columns.join('\u0000')
    let group = groups.get(signature)
    if (!group) groups.set(signature, (group = { columns, models: [], rows: [] }))
    group.models.push(model)
    group.rows.push(row)
  }
  const increments = meta.autoIncrement
  for (const group of groups.values()) {
    if (!group.columns.length) {
      // Nothing to list in a VALUES tuple: each row as save() writes it.
      for (const model of group.models) await model.save()
      continue
    }
    const returning = increments && !group.columns.includes(increments.column) ? increments.column : undefined
    const perStatement = Math.max(1, Math.floor(connection.dialect.maxBindings / Math.max(1, group.columns.length)))
    for (let start = 0; start < group.rows.length; ) {
      const end = sliceEnd(group, start, perStatement)
      const keys = await insertSlice(connection, meta.table, group, start, end, returning, plan)
      if (returning) {
        for (let i = start; i < end; i++) writeAttribute(group.models[i]!, returning, keys[i - start])
      }
      start = end
    }
  }
  await readBackUnset(connection, meta, models)
  for (const model of models) {
    model.$isPersisted = true
    model.$isDeleted = false
    model.$originalAttributes = model.$attributes
    model.$changes = Object.keys(model.$attributes)
    if (meta.byContent.length) snapshotContent(model, meta)
  }
}

/**
 * Declared columns the batch did not write (database defaults) read back as `create()` reads
 * them, so a created model never reads `undefined`: one select per chunk of keys, only when some
 * column was left unset. Without a single-column key they read `null`.
 */
async function readBackUnset(connection: Connection, meta: ModelMetadata, models: readonly Model[]): Promise<void> {
  const unset = meta.columns.map((c) => c.column).filter((column) => models.some((m) => m.$attributes[column] === undefined))
  if (!unset.length) return
  const key = meta.primaryKey.length === 1 ? meta.primaryKey[0]!.column : undefined
  const perQuery = Math.max(1, connection.dialect.maxBindings - 1)
  for (let start = 0; start < models.length; start += perQuery) {
    const chunk = models.slice(start, start + perQuery)
    const rows: Row[] = key
      ? await connection.current()(meta.table).select([key, ...unset]).whereIn(key, chunk.map((m) => m.$attributes[key] as Knex.Value))
      : []
    const byKey = new Map(rows.map((row) => [String(row[key!]), row]))
    for (const model of chunk) {
      const stored = key ? (byKey.get(String(model.$attributes[key])) ?? {}) : {}
      writeReadBack(model, meta, connection.dialect.dates, unset.filter((column) => model.$attributes[column] === undefined), stored)
    }
  }
}

function sliceEnd(group: Group, start: number, perStatement: number): number {
  const limit = Math.min(group.rows.length, start + perStatement)
  let bytes = 0
  for (let i = start; i < limit; i++) {
    for (const value of Object.values(group.rows[i]!)) bytes += typeof value === 'string' ? value.length * 3 : 16
    if (bytes > MAX_STATEMENT_BYTES && i > start) return i
  }
  return limit
}

async function insertSlice(connection: Connection, table: string, group: Group, start: number, end: number, returning: string | undefined, plan: BatchPlan): Promise<unknown[]> {
  const { columns, rows } = group
  const width = columns.length
  const tuple = `(${new Array<string>(width).fill('?').join(', ')})`
  const bindings: unknown[] = [table, ...columns]
  for (let i = start; i < end; i++) for (const column of columns) bindings.push(rows[i]![column])
  let sql = `insert into ?? (${new Array<string>(width).fill('??').join(', ')}) values ${new Array<string>(end - start).fill(tuple).join(', ')}`
  const reading = returning !== undefined && !plan.insertedKeys
  if (reading) {
    sql += ' returning ??'
    bindings.push(returning)
  }
  const result = await connection.current().raw(sql, bindings as Knex.RawBinding[])
  if (!returning) return []
  // RETURNING lists the rows in no promised order; one statement assigns its keys in row order.
  const keys = reading ? connection.dialect.rawRows(result).map((r) => r[returning]).sort(compareKeys) : plan.insertedKeys!(result, end - start)
  if (keys.length !== end - start) throw new QuarryError(`${table}: the batched insert returned ${keys.length} keys for ${end - start} rows`)
  return keys
}

/** Keys in the order the database assigned them: numerically (bigint-safe), else as text. */
function compareKeys(a: unknown, b: unknown): number {
  if (isInteger(a) && isInteger(b)) {
    const x = BigInt(a as string)
    const y = BigInt(b as string)
    return x < y ? -1 : x > y ? 1 : 0
  }
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0
}

function isInteger(value: unknown): boolean {
  return typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value)) || (typeof value === 'string' && /^-?\d+$/.test(value))
}
