import type { Knex } from 'knex'
import type { Connection } from '../../connection/connection.js'
import { QuarryError } from '../../errors/index.js'
import type { Model } from '../../model/model.js'
import { ModelAdapter } from '../../model/model-adapter.js'
import { bulkInsert } from '../../query/bulk-insert.js'
import type { Row } from '../../query/query-target.js'
import { describeValue } from '../describe-value.js'
import { chunked, keysPerQuery, textKey } from '../keys.js'
import { requiredValue } from '../relation.js'
import { RelationClient } from '../relation-client.js'
import type { PivotValues, SyncResult } from '../relation-types.js'
import type { BelongsToMany } from './belongs-to-many.js'

type Entry = readonly [key: unknown, values: Row]

/**
 * Writes through a many-to-many relation of one parent: pivot rows added, removed, synced and
 * updated (timestamps maintained), and related models created or saved then attached. Every
 * method that writes more than one statement runs in one transaction.
 */
export class BelongsToManyClient extends RelationClient {
  constructor(
    protected override readonly relation: BelongsToMany,
    parent: Model,
  ) {
    super(relation, parent)
  }

  private get connection(): Connection {
    return ModelAdapter.connection(this.parent.$meta)
  }

  private parentKey(): unknown {
    return requiredValue(this.parent, this.relation.localKey, this.relation.label)
  }

  /** The pivot rows of this parent (of this relation's type), as a knex builder. */
  private rows(): Knex.QueryBuilder {
    const pivot = this.relation.pivot
    const builder = this.connection.table(pivot.table).where(pivot.foreignKey, this.parentKey() as Knex.Value)
    if (pivot.type) builder.where(pivot.type.column, pivot.type.value())
    return builder
  }

  /** A related key from a key or a related model. */
  private keyOf(id: unknown): unknown {
    if (typeof id === 'string' || typeof id === 'number' || typeof id === 'bigint') return id
    const Related = this.relation.relatedClass()
    if (id instanceof Related) return requiredValue(id, this.relation.relatedKey, this.relation.label)
    throw new QuarryError(`${this.relation.label}: expected ${Related.name} keys or models, got ${describeValue(id)}`)
  }

  /** `[1, 2]`, `1`, a model, or `{ 1: { grantedBy: 7 } }`, with `common` pivot values for all. */
  private entries(ids: unknown, common: PivotValues | undefined, method: string): Entry[] {
    const pivot = this.relation.pivot
    const shared = pivot.values(common)
    if (Array.isArray(ids)) return ids.map((id) => [this.keyOf(id), shared] as const)
    if (ids !== null && typeof ids === 'object' && !(ids instanceof this.relation.relatedClass())) {
      return Object.entries(ids).map(([id, values]) => [id, { ...shared, ...pivot.values(values) }] as const)
    }
    if (ids === undefined || ids === null) throw new QuarryError(`${this.relation.label}: ${method}() needs keys, models or { key: pivotValues }`)
    return [[this.keyOf(ids), shared]]
  }

  /** `await user.related('roles').attach([1, 2], { grantedBy: 7 })` or `attach({ 1: { grantedBy: 7 } })`. */
  override async attach(ids: unknown, pivotValues?: PivotValues): Promise<void> {
    await this.insert(this.entries(ids, pivotValues, 'attach'))
  }

  /**
   * Inserts pivot rows, skipping those already there (a concurrent attach of the same pair
   * included) when the pivot has a unique index over its keys; without one nothing is skipped.
   */
  private async insert(entries: readonly Entry[]): Promise<void> {
    if (!entries.length) return
    const pivot = this.relation.pivot
    const parentKey = this.parentKey()
    const now = new Date()
    const rows = entries.map(([key, values]) => pivot.row(parentKey, key, values, now))
    await bulkInsert(this.connection, pivot.table, rows, { ignoreDuplicates: true })
  }

  /** Removes this parent's pivot rows for `ids`, or all of them; resolves to how many. */
  override async detach(ids?: unknown): Promise<number> {
    if (ids === undefined) return Number(await this.rows().delete())
    const keys = (Array.isArray(ids) ? ids : [ids]).map((id) => this.keyOf(id))
    return this.remove(keys)
  }

  private async remove(keys: readonly unknown[]): Promise<number> {
    if (!keys.length) return 0
    const column = this.relation.pivot.relatedKey
    const chunks = chunked(keys, keysPerQuery(this.connection.dialect.maxBindings))
    const run = async () => {
      let removed = 0
      for (const chunk of chunks) removed += Number(await this.rows().whereIn(column, chunk as Knex.Value[]).delete())
      return removed
    }
    return chunks.length > 1 ? this.connection.transaction(run) : run()
  }

  /**
   * Makes this parent's pivot rows exactly `ids`: attaches the missing, detaches the others
   * (unless `detaching` is false) and updates the pivot values of those given with values that
   * differ. `await user.related('roles').sync([1, 3])` → `{ attached, detached, updated }`.
   */
  override async sync(ids: unknown, detaching = true): Promise<SyncResult> {
    const wanted = this.entries(ids, undefined, 'sync')
    return this.connection.transaction(async () => {
      const pivot = this.relation.pivot
      const current = new Map<unknown, Row>()
      for (const row of (await this.rows().select('*')) as Row[]) current.set(textKey(row[pivot.relatedKey]), row)
      const given = new Set(wanted.map(([key]) => textKey(key)))
      const result: SyncResult = { attached: [], detached: [], updated: [] }
      if (detaching) {
        for (const [key, row] of current) if (!given.has(key)) result.detached.push(row[pivot.relatedKey])
        await this.remove(result.detached)
      }
      const missing: Entry[] = []
      for (const entry of wanted) {
        const row = current.get(textKey(entry[0]))
        if (!row) {
          missing.push(entry)
          result.attached.push(entry[0])
        } else if (differs(row, entry[1])) {
          await this.update(entry[0], entry[1])
          result.updated.push(entry[0])
        }
      }
      await this.insert(missing)
      return result
    })
  }

  /** Attaches those of `ids` that are not attached and detaches those that are. */
  override async toggle(ids: unknown): Promise<{ attached: unknown[]; detached: unknown[] }> {
    const entries = this.entries(ids, undefined, 'toggle')
    return this.connection.transaction(async () => {
      const column = this.relation.pivot.relatedKey
      const current = new Set(((await this.rows().select(column)) as Row[]).map((row) => textKey(row[column])))
      const attached = entries.filter(([key]) => !current.has(textKey(key)))
      const detached = entries.filter(([key]) => current.has(textKey(key))).map(([key]) => key)
      await this.remove(detached)
      await this.insert(attached)
      return { attached: attached.map(([key]) => key), detached }
    })
  }

  /** Updates pivot columns of the row linking `id` (and `updatedAt` with pivot timestamps); resolves to how many rows. */
  override async updatePivot(id: unknown, values: PivotValues): Promise<number> {
    const row = this.relation.pivot.values(values)
    if (!Object.keys(row).length) throw new QuarryError(`${this.relation.label}: updatePivot() needs at least one pivot column to set`)
    return this.update(this.keyOf(id), row)
  }

  private async update(key: unknown, row: Row): Promise<number> {
    const pivot = this.relation.pivot
    const values = { ...row }
    if (pivot.timestamps) values[pivot.timestamps.updatedAt] ??= new Date()
    return Number(await this.rows().where(pivot.relatedKey, key as Knex.Value).update(values))
  }

  /** Creates a related model (mass assignment rules apply) and attaches it, in one transaction. */
  override async create(attributes: object, pivotValues?: PivotValues): Promise<Model> {
    if (attributes === null || typeof attributes !== 'object') throw new QuarryError(`${this.relation.label}: create() expects an object of attributes`)
    const values = this.relation.pivot.values(pivotValues)
    this.parentKey()
    return this.connection.transaction(async () => {
      const model = this.relation.make()
      model.fill(attributes)
      await model.save()
      await this.insert([[this.keyOf(model), values]])
      return model
    })
  }

  override async createMany(rows: readonly object[], pivotValues?: PivotValues): Promise<Model[]> {
    if (!Array.isArray(rows)) throw new QuarryError(`${this.relation.label}: createMany() expects an array`)
    return this.connection.transaction(async () => {
      const out: Model[] = []
      for (const row of rows) out.push(await this.create(row, pivotValues))
      return out
    })
  }

  /** Saves `model` when it is new or changed, then attaches it. */
  override async save(model: Model, pivotValues?: PivotValues): Promise<Model> {
    const Related = this.relation.relatedClass()
    if (!(model instanceof Related)) throw new QuarryError(`${this.relation.label}: save() expects a ${Related.name}, got ${describeValue(model)}`)
    const values = this.relation.pivot.values(pivotValues)
    this.parentKey()
    return this.connection.transaction(async () => {
      if (!model.$isPersisted || model.isDirty()) await model.save()
      await this.insert([[this.keyOf(model), values]])
      return model
    })
  }

  override async saveMany(models: readonly Model[], pivotValues?: PivotValues): Promise<Model[]> {
    if (!Array.isArray(models)) throw new QuarryError(`${this.relation.label}: saveMany() expects an array`)
    return this.connection.transaction(async () => {
      for (const model of models) await this.save(model, pivotValues)
      return [...models]
    })
  }
}

/** Whether any given pivot value differs from the stored row (compared as the database would). */
function differs(stored: Row, given: Row): boolean {
  for (const [column, value] of Object.entries(given)) {
    const current = stored[column]
    if (value === null || current === null || current === undefined) {
      if (value !== current && !(value === null && current === undefined)) return true
      continue
    }
    const a = value instanceof Date ? value.getTime() : typeof value === 'boolean' ? Number(value) : value
    const b = current instanceof Date ? current.getTime() : typeof current === 'boolean' ? Number(current) : current
    if (String(a) !== String(b)) return true
  }
  return false
}
