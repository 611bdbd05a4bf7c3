import { ModelNotFoundError, QuarryError, StaleModelError, UniqueViolationError } from '../errors/index.js'
import type { DateStorage } from '../dialects/date-storage.js'
import { unknownColumn } from './column-resolver.js'
import type { Row } from '../query/query-target.js'
import { cascading } from '../relations/cascades.js'
import { touching } from '../relations/touches.js'
import { deletionTime } from '../relations/write-hooks.js'
import { writeAttribute } from './accessors.js'
import { dirtyColumns } from './dirty.js'
import { snapshotContent } from './hydrate.js'
import { runStep } from './lifecycle.js'
import type { Model } from './model.js'
import { ModelAdapter } from './model-adapter.js'
import type { ModelMetadata } from './model-metadata.js'
import { baseSlug, freeSlug } from './slugs.js'
import { uuidv7 } from './uuid.js'

// Each lost race moves one suffix on; only many identical titles at the same instant need many rounds.
const SLUG_ATTEMPTS = 50

/** `save()`: insert a new model or write the dirty columns of a loaded one, through the lifecycle. */
export function saveModel(model: Model, meta: ModelMetadata): Promise<boolean> {
  // Relations: touches bump the owners' updatedAt after a write (the action as it is without them).
  return runStep('save', model, touching(model, meta, () => (model.$isPersisted ? updateModel(model, meta) : insertModel(model, meta))))
}

/** The values of `columns` as the database takes them (casts' `set` applied). */
function dbValues(model: Model, meta: ModelMetadata, columns: Iterable<string>): Row {
  const row: Row = {}
  for (const column of columns) {
    const value = model.$attributes[column]
    if (value === undefined) continue
    const cast = meta.byColumn.get(column)?.effectiveCast
    row[column] = value === null || !cast ? value : cast.set(value)
  }
  return row
}

/** The primary key as it was read (so changing the key property still updates the right row). */
export function keyWhere(model: Model, meta: ModelMetadata): Row {
  if (!meta.primaryKey.length) throw new QuarryError(`${meta.name} has no @column.primary(); it cannot be updated or deleted by key`)
  const where: Row = {}
  for (const key of meta.primaryKey) {
    const value = model.$originalAttributes[key.column] ?? model.$attributes[key.column]
    if (value === undefined || value === null) throw new QuarryError(`${meta.name} has no value for its key ${key.property}`)
    where[key.column] = value
  }
  return where
}

/** After a write: what was written becomes the original; remember what changed for `wasChanged`. */
function synced(model: Model, meta: ModelMetadata, changed: string[]): true {
  model.$originalAttributes = model.$attributes
  model.$changes = changed
  if (meta.byContent.length) snapshotContent(model, meta)
  return true
}

function insertModel(model: Model, meta: ModelMetadata): Promise<boolean> {
  return runStep('create', model, async () => {
    const now = new Date()
    for (const key of meta.primaryKey) {
      if (key.keyType === 'uuid' && model.$attributes[key.column] == null) writeAttribute(model, key.column, uuidv7())
    }
    for (const stamp of [meta.createdAt, meta.updatedAt]) {
      if (stamp && model.$attributes[stamp.column] == null) writeAttribute(model, stamp.column, now)
    }
    if (meta.version && model.$attributes[meta.version.column] == null) writeAttribute(model, meta.version.column, 1)
    const slugs = meta.slugs.filter((s) => model.$attributes[s.column] == null || model.$attributes[s.column] === '')
    if (!slugs.length) {
      await insertRow(model, meta)
    } else {
      await insertWithSlugs(model, meta, slugs)
    }
    model.$isPersisted = true
    model.$isDeleted = false
    return synced(model, meta, Object.keys(model.$attributes))
  })
}

/**
 * Inserts the model's row. Declared columns it was not given are read back in the same statement
 * where the dialect can (defaults, generated values), else set to null; the auto-increment key
 * comes back either way. So a created model never reads `undefined` for a declared column.
 */
async function insertRow(model: Model, meta: ModelMetadata): Promise<void> {
  const attributes = model.$attributes
  const row = dbValues(model, meta, Object.keys(attributes))
  const increments = meta.autoIncrement
  const key = increments && row[increments.column] === undefined ? increments.column : undefined
  const columns = key === undefined ? [] : [key]
  for (const column of meta.columns) {
    if (attributes[column.column] === undefined && column.column !== key) columns.push(column.column)
  }
  if (!columns.length) {
    await ModelAdapter.table(meta).insert(row)
    return
  }
  const connection = ModelAdapter.connection(meta)
  const inserted = await connection.dialect.insertRow(connection.current(), meta.table, row, columns, key)
  writeReadBack(model, meta, connection.dialect.dates, columns, inserted.row, key)
}

/**
 * Writes what the database stored for `columns` onto a model it just inserted, read as a query
 * reads them (the dialect's date forms included); a column it did not report reads `null`.
 */
export function writeReadBack(model: Model, meta: ModelMetadata, dates: DateStorage, columns: readonly string[], stored: Row, key?: string): void {
  const casts = meta.readCastsOn(dates)
  for (const column of columns) {
    const value = stored[column]
    if (value === undefined || value === null) {
      writeAttribute(model, column, column === key ? value : null)
      continue
    }
    const cast = column === key ? undefined : casts.find((c) => c.column === column)
    writeAttribute(model, column, cast ? cast.get(value) : value)
  }
}

/**
 * Inserts with generated slugs, unique even when others insert the same title at the same time:
 * a lost race (a unique violation) is retried with the next free suffix. Needs a unique index on
 * the slug column for the concurrent case.
 */
async function insertWithSlugs(model: Model, meta: ModelMetadata, slugs: ModelMetadata['slugs']): Promise<void> {
  const minimum = new Map<string, number>()
  for (let attempt = 1; ; attempt++) {
    for (const column of slugs) {
      const base = baseSlug(meta, column, (property) => model.$attributes[meta.byProperty.get(property)!.column])
      const free = await freeSlug(meta, column, base, minimum.get(column.column) ?? 0)
      minimum.set(column.column, free.suffix + 1)
      writeAttribute(model, column.column, free.value)
    }
    try {
      await ModelAdapter.recoverable(meta, () => insertRow(model, meta))
      return
    } catch (error) {
      const onSlug = error instanceof UniqueViolationError &&
        (!error.columns?.length || error.columns.some((c) => slugs.some((s) => s.column === c)))
      if (!onSlug || attempt >= SLUG_ATTEMPTS) throw error
    }
  }
}

async function updateModel(model: Model, meta: ModelMetadata): Promise<boolean> {
  if (!dirtyColumns(model, meta).length) return true
  return runStep('update', model, async () => {
    const dirty = new Set(dirtyColumns(model, meta))
    if (!dirty.size) return true
    // What this step sets by itself (updatedAt, slugs, version), to put back if the write fails:
    // a failed save leaves the model as the caller had it.
    const automatic: Array<[string, boolean, unknown]> = []
    const setAutomatically = (column: string, value: unknown) => {
      automatic.push([column, column in model.$attributes, model.$attributes[column]])
      writeAttribute(model, column, value)
    }
    if (meta.updatedAt && !dirty.has(meta.updatedAt.column)) {
      setAutomatically(meta.updatedAt.column, new Date())
      dirty.add(meta.updatedAt.column)
    }
    for (const column of meta.slugs) {
      if (!column.slug!.onUpdate || dirty.has(column.column)) continue
      if (!column.slug!.from.some((p) => dirty.has(meta.byProperty.get(p)!.column))) continue
      const base = baseSlug(meta, column, (property) => model.$attributes[meta.byProperty.get(property)!.column])
      const current = model.$originalAttributes[column.column]
      if (current === base || (typeof current === 'string' && current.startsWith(`${base}-`))) continue
      setAutomatically(column.column, (await freeSlug(meta, column, base, 0)).value)
      dirty.add(column.column)
    }
    const where = keyWhere(model, meta)
    const version = meta.version
    let expected: number | undefined
    if (version) {
      expected = Number(model.$originalAttributes[version.column] ?? 0)
      if (!dirty.has(version.column)) setAutomatically(version.column, expected + 1)
      dirty.add(version.column)
      where[version.column] = expected
    }
    try {
      const affected = Number(await ModelAdapter.table(meta).where(where).update(dbValues(model, meta, dirty)))
      if (version && affected === 0) {
        throw new StaleModelError(meta.name, keyValue(meta, where), expected!)
      }
    } catch (error) {
      for (const [column, present, previous] of automatic.reverse()) {
        if (present) writeAttribute(model, column, previous)
        else if (model.$attributes !== model.$originalAttributes) delete model.$attributes[column]
      }
      throw error
    }
    return synced(model, meta, [...dirty])
  })
}

function keyValue(meta: ModelMetadata, where: Row): unknown {
  if (meta.primaryKey.length === 1) return where[meta.primaryKey[0]!.column]
  return Object.fromEntries(meta.primaryKey.map((k) => [k.property, where[k.column]]))
}

/** `delete()`: a soft delete when the model has `deletedAt`, else removes the row. */
export function deleteModel(model: Model, meta: ModelMetadata): Promise<boolean> {
  // Relations: onDelete cascades run first, in one transaction (the action as it is without them).
  const action = cascading(model, meta, meta.deletedAt ? 'soft' : 'force', async () => {
    if (!meta.deletedAt) return removeRow(model, meta)
    // One moment for a parent and the children its cascade soft-deletes.
    const now = deletionTime()
    const changed = [meta.deletedAt.column]
    writeAttribute(model, meta.deletedAt.column, now)
    if (meta.updatedAt) {
      writeAttribute(model, meta.updatedAt.column, now)
      changed.push(meta.updatedAt.column)
    }
    await ModelAdapter.table(meta).where(keyWhere(model, meta)).update(dbValues(model, meta, changed))
    return synced(model, meta, changed)
  })
  return runStep('delete', model, touching(model, meta, action, true))
}

async function removeRow(model: Model, meta: ModelMetadata): Promise<boolean> {
  await ModelAdapter.table(meta).where(keyWhere(model, meta)).delete()
  model.$isPersisted = false
  model.$isDeleted = true
  return true
}

/** `forceDelete()`: removes the row even when the model soft-deletes. */
export function forceDeleteModel(model: Model, meta: ModelMetadata): Promise<boolean> {
  const action = touching(model, meta, cascading(model, meta, 'force', () => removeRow(model, meta)), true)
  return runStep('forceDelete', model, () => runStep('delete', model, action))
}

/** `restore()`: clears `deletedAt` and saves. */
export function restoreModel(model: Model, meta: ModelMetadata): Promise<boolean> {
  const deletedAt = meta.deletedAt
  if (!deletedAt) throw new QuarryError(`${meta.name} does not soft-delete (no @column.deletedAt()); there is nothing to restore`)
  // Relations: the children the parent's cascade soft-deleted are restored first.
  return runStep('restore', model, cascading(model, meta, 'restore', async () => {
    writeAttribute(model, deletedAt.column, null)
    return saveModel(model, meta)
  }))
}

/** `refresh()`: reads the row again (trashed or not), replacing every attribute. */
export async function refreshModel(model: Model, meta: ModelMetadata): Promise<void> {
  const where = keyWhere(model, meta)
  const [row] = (await ModelAdapter.table(meta).where(where).limit(1)) as Row[]
  if (!row) throw new ModelNotFoundError(meta.name, keyValue(meta, where))
  for (const cast of meta.readCastsOn(ModelAdapter.connection(meta).dialect.dates)) {
    const value = row[cast.column]
    if (value !== null && value !== undefined) row[cast.column] = cast.get(value)
  }
  model.$attributes = row
  synced(model, meta, [])
}

/**
 * `increment('views', 2, { lastViewer: 'ann' })`: `set views = views + 2` in SQL (no lost
 * updates), with the `extra` columns (casts applied) and `updatedAt` in the same statement,
 * mirrored on the model.
 */
export function incrementModel(model: Model, meta: ModelMetadata, name: string, amount: number, extra?: Row): Promise<boolean> {
  const column = meta.lookup.get(name)
  if (!column) return Promise.reject(unknownColumn(meta, name, 'increment()'))
  if (typeof amount !== 'number' || !Number.isFinite(amount)) {
    return Promise.reject(new QuarryError(`increment() amount must be a finite number, got ${JSON.stringify(amount)}`))
  }
  let values: { model: Row; database: Row }
  try {
    values = extraValues(meta, column.column, extra)
  } catch (error) {
    return Promise.reject(error)
  }
  return runStep('update', model, async () => {
    const builder = ModelAdapter.table(meta).where(keyWhere(model, meta))
    const now = new Date()
    if (meta.updatedAt && !(meta.updatedAt.column in values.database)) {
      values.database[meta.updatedAt.column] = now
      values.model[meta.updatedAt.column] = now
    }
    builder.increment(column.column, amount)
    await (Object.keys(values.database).length ? builder.update(values.database) : builder)
    const before = Number(model.$attributes[column.column] ?? 0)
    const changed: Row = { [column.column]: before + amount, ...values.model }
    // Only these columns are now in the database: keep other unsaved changes dirty.
    const shared = model.$attributes === model.$originalAttributes
    // A copy: a rolled-back transaction puts the previous snapshots object back.
    const snapshots = model.$snapshots && { ...model.$snapshots }
    if (snapshots) model.$snapshots = snapshots
    for (const [key, value] of Object.entries(changed)) {
      model.$attributes[key] = value
      if (!shared) model.$originalAttributes[key] = value
      if (snapshots && key in snapshots) snapshots[key] = value === undefined ? undefined : JSON.stringify(value)
    }
    model.$changes = Object.keys(changed)
    return true
  })
}

/**
 * The `extra` columns of an increment, named by property or column: as the model holds them
 * (`assign` applied) and as the database takes them (`set` applied). Unknown names, or the
 * incremented column itself, throw before any SQL.
 */
export function extraValues(meta: ModelMetadata, incremented: string, extra: Row | undefined): { model: Row; database: Row } {
  const model: Row = {}
  const database: Row = {}
  if (extra === undefined) return { model, database }
  if (extra === null || typeof extra !== 'object' || Array.isArray(extra)) {
    throw new QuarryError(`increment() extra columns must be an object of values, got ${JSON.stringify(extra)}`)
  }
  for (const [name, given] of Object.entries(extra)) {
    const column = meta.lookup.get(name)
    if (!column) throw unknownColumn(meta, name, 'increment()')
    if (column.column === incremented) throw new QuarryError(`increment(): "${name}" is the column being incremented; it cannot also be set`)
    if (given === undefined) continue
    const cast = column.effectiveCast
    const value = given === null || !cast?.assign ? given : cast.assign(given)
    model[column.column] = value
    database[column.column] = value === null || !cast ? value : cast.set(value)
  }
  return { model, database }
}
