import { inspect } from 'node:util'
import type { Connection } from '../connection/connection.js'
import { QuarryError } from '../errors/index.js'
import { unknownColumn } from './column-resolver.js'
import { listeners, type ModelEventHandler, type ModelEventName, observe, type ObserverInput, withoutEvents } from '../events/index.js'
import type { Row } from '../query/query-target.js'
import { loadRelations, relatedClient } from '../relations/model-relations.js'
import { morphMap } from '../relations/morph-map.js'
import type { RelatedClient, RelationConstraint, ValidPath, ValidPaths } from '../relations/relation-types.js'
import { defineAccessors } from './accessors.js'
import { byProperty, columnOf, dirtyColumns, storedByProperty } from './dirty.js'
import * as finders from './finders.js'
import { takePendingRow } from './hydrate.js'
import { assignments, type MassAssignmentRules } from './mass-assignment.js'
import { ModelAdapter } from './model-adapter.js'
import { type ModelMetadata, metadataOf } from './model-metadata.js'
import { ModelQuery } from './model-query.js'
import { ModelTarget } from './model-target.js'
import * as persistence from './persistence.js'
import type { ModelJSON } from './json-types.js'
import { type PruneOptions, pruneModel } from './prunable.js'
import { type SerializeOptions, serializeModel } from './serialize.js'
import type { ColumnName, GlobalScopesOf, ModelAttributes, modelBrand, ModelLike, NumericColumnName, RelationName, ScopesOf } from './types.js'

/** The finalised metadata of a model class (accessors defined on first use). */
export function modelMetadata(ctor: abstract new () => Model): ModelMetadata {
  if (ctor === Model) throw new QuarryError('Model is the base class; declare a subclass with @column properties')
  return metadataOf(ctor).finalize(defineAccessors)
}

const NOTHING: readonly string[] = Object.freeze([])

/** The instance side of a model class, for `this`-typed statics. */
type Instance<T extends typeof Model> = InstanceType<T>

/**
 * The base of every model. Columns are accessors on the prototype over `$attributes` (keyed by
 * column name, values cast); framework members start with `$` so they never collide with a
 * column. Queries and writes go through `ModelQuery` and the model adapter; every write of one
 * model goes through the lifecycle (the seam events hook into).
 *
 * ```ts
 * @table('users')
 * class User extends Model {
 *   @column.primary() declare id: number
 *   @column() declare email: string
 * }
 * const user = await User.create({ email: 'a@b.c' })
 * ```
 */
export class Model {
  // Model classes may declare, without `override` (the base declares none of them):
  //   static fillable = ['email', 'name']       attributes fill()/create() accept
  //   static guarded = ['id']                   attributes they refuse (['*']: all)
  //   static scopes = { active: (q) => … }      local scopes, typed for query().scope()
  //   static globalScopes = { tenant: (q) => … } applied to every query unless withoutGlobalScope()
  //   static prunable = (q) => q.where(…)       the rows prune() removes; static massPrunable = true: one DELETE per chunk

  /** Type-only: marks model instances so relation properties are told from columns cheaply. */
  declare readonly [modelBrand]: true

  /** The row, keyed by column name, values as JavaScript sees them (casts applied). */
  declare $attributes: Row
  /**
   * @internal The row as last read or saved, keyed by column like `$attributes`; the same object
   * as `$attributes` until the first assignment. `$original` is the public, by-property view.
   */
  declare $originalAttributes: Row
  /** The row exists in the database. */
  declare $isPersisted: boolean
  /** The row was removed by `delete()`/`forceDelete()` through this instance. */
  declare $isDeleted: boolean
  /** @internal Storage behind `$extras`, made on first use (hydration allocates nothing for it). */
  declare $extrasStore: Record<string, unknown> | undefined
  /** @internal Storage behind `$relations`, made on first use. */
  declare $relationsStore: Record<string, unknown> | undefined
  /** The pivot columns of a many-to-many row this model was loaded through. */
  declare $pivot: Record<string, unknown> | undefined
  /** Columns written by the last save (for `wasChanged`). */
  declare $changes: readonly string[]
  /** @internal JSON text of content-compared columns as last read or saved. */
  declare $snapshots: Record<string, string | undefined> | undefined

  constructor() {
    const row = takePendingRow()
    // Hydration finalised the class already; a model made with `new` finalises it here, so the
    // column accessors exist before any property is touched.
    if (row === undefined) modelMetadata(new.target)
    this.$attributes = row ?? {}
    this.$originalAttributes = this.$attributes
    this.$isPersisted = row !== undefined
  }

  /**
   * The attributes as last read or saved, keyed by property like `getDirty()`: after
   * `user.displayName = 'x'`, `user.$original.displayName` is still the stored value. A new
   * object on each read; changing it changes nothing.
   */
  get $original(): Partial<ModelAttributes<this>> {
    return storedByProperty(this.$meta, this.$originalAttributes) as Partial<ModelAttributes<this>>
  }

  /** Values selected beside the model's columns (aggregates such as `postsCount`). */
  get $extras(): Record<string, unknown> {
    return (this.$extrasStore ??= {})
  }

  set $extras(value: Record<string, unknown>) {
    this.$extrasStore = value
  }

  /** Loaded relations by name (filled by eager and lazy loading). */
  get $relations(): Record<string, unknown> {
    return (this.$relationsStore ??= {})
  }

  set $relations(value: Record<string, unknown>) {
    this.$relationsStore = value
  }

  // ---- statics -------------------------------------------------------------------------

  /** A query over this model: `User.query().where('active', true)`. */
  static query<T extends typeof Model>(this: T): ModelQuery<Instance<T>, ScopesOf<T>, GlobalScopesOf<T>> {
    return new ModelQuery<Instance<T>, ScopesOf<T>, GlobalScopesOf<T>>(ModelTarget.of<Instance<T>>(modelMetadata(this)))
  }

  /** Runs this model on another connection of the default database (or a given connection). */
  static useConnection(connection: string | Connection): void {
    if (this === Model) throw new QuarryError('useConnection() is called on a model class, not on Model')
    if (typeof connection !== 'string' && typeof (connection as Connection)?.table !== 'function') {
      throw new QuarryError('useConnection() takes a connection name or a Connection')
    }
    ModelAdapter.bind(this, connection)
  }

  /** Creates and saves a model (mass assignment rules apply): `await User.create({ email })`. */
  static async create<T extends typeof Model>(this: T, attributes: ModelAttributes<Instance<T>>): Promise<Instance<T>> {
    const model = new this() as Instance<T>
    model.fill(attributes)
    await model.save()
    return model
  }

  /** Creates several models in one transaction, each through `create` (events included). */
  static async createMany<T extends typeof Model>(this: T, rows: ReadonlyArray<ModelAttributes<Instance<T>>>): Promise<Array<Instance<T>>> {
    if (!Array.isArray(rows)) throw new QuarryError(`${this.name}.createMany() expects an array`)
    return ModelAdapter.connection(modelMetadata(this)).transaction(async () => {
      const created: Array<Instance<T>> = []
      for (const row of rows) created.push(await (this as T).create(row))
      return created
    })
  }

  /** The model with this primary key, or `null`. Composite keys: `find({ userId: 1, roleId: 2 })`. */
  static async find<T extends typeof Model>(this: T, id: unknown): Promise<Instance<T> | null> {
    return finders.find(this as unknown as finders.FinderClass<Instance<T>>, id, modelMetadata(this))
  }

  /** Like `find`, but throws `ModelNotFoundError` (with the model name and key) when there is none. */
  static async findOrFail<T extends typeof Model>(this: T, id: unknown): Promise<Instance<T>> {
    return finders.findOrFail(this as unknown as finders.FinderClass<Instance<T>>, id, modelMetadata(this))
  }

  /** The first model whose `column` equals `value`: `User.findBy('email', x)`. */
  static async findBy<T extends typeof Model>(this: T, column: ColumnName<Instance<T>>, value: unknown): Promise<Instance<T> | null> {
    return this.query().where(column as never, value as never).first()
  }

  /** The models with these primary keys. */
  static async findMany<T extends typeof Model>(this: T, ids: readonly unknown[]): Promise<Array<Instance<T>>> {
    return finders.findMany(this as unknown as finders.FinderClass<Instance<T>>, modelMetadata(this), ids)
  }

  /** The model with this slug (its first `@column.slug()`). */
  static async findBySlug<T extends typeof Model>(this: T, slug: string): Promise<Instance<T> | null> {
    const meta = modelMetadata(this)
    const column = meta.slugs[0]
    if (!column) throw new QuarryError(`${meta.name} has no @column.slug()`)
    return this.query().where(column.column as never, slug).first()
  }

  static async first<T extends typeof Model>(this: T): Promise<Instance<T> | null> {
    return this.query().first()
  }

  static async firstOrFail<T extends typeof Model>(this: T): Promise<Instance<T>> {
    return this.query().firstOrFail()
  }

  static async all<T extends typeof Model>(this: T): Promise<Array<Instance<T>>> {
    return this.query().get()
  }

  /**
   * The first model matching `search`, else one created from `search` and `extra`. Race-safe
   * where a unique index covers the search columns: concurrent callers all get the one row.
   */
  static async firstOrCreate<T extends typeof Model>(
    this: T,
    search: ModelAttributes<Instance<T>>,
    extra?: ModelAttributes<Instance<T>>,
  ): Promise<Instance<T>> {
    return finders.firstOrCreate(this as unknown as finders.FinderClass<Instance<T>>, modelMetadata(this), search, extra)
  }

  /** The first model matching `search`, else a new unsaved one filled with `search` and `extra`. */
  static async firstOrNew<T extends typeof Model>(
    this: T,
    search: ModelAttributes<Instance<T>>,
    extra?: ModelAttributes<Instance<T>>,
  ): Promise<Instance<T>> {
    return finders.firstOrNew(this as unknown as finders.FinderClass<Instance<T>>, modelMetadata(this), search, extra)
  }

  /** Updates the model matching `search` with `values`, or creates it; race-safe as `firstOrCreate`. */
  static async updateOrCreate<T extends typeof Model>(
    this: T,
    search: ModelAttributes<Instance<T>>,
    values?: ModelAttributes<Instance<T>>,
  ): Promise<Instance<T>> {
    return finders.updateOrCreate(this as unknown as finders.FinderClass<Instance<T>>, modelMetadata(this), search, values)
  }

  /**
   * Bulk insert without events, chunked to the driver's parameter limit, all rows or none;
   * resolves to the number inserted. UUID keys, timestamps and versions are filled in.
   */
  static async insert<T extends typeof Model>(this: T, rows: ReadonlyArray<ModelAttributes<Instance<T>>>): Promise<number> {
    return finders.insertMany(modelMetadata(this), rows)
  }

  /** Insert, or update `updateColumns` where a row with the same `uniqueBy` exists. */
  static async upsert<T extends typeof Model>(
    this: T,
    rows: ReadonlyArray<ModelAttributes<Instance<T>>>,
    uniqueBy: ColumnName<Instance<T>> | ReadonlyArray<ColumnName<Instance<T>>>,
    updateColumns?: ReadonlyArray<ColumnName<Instance<T>>>,
  ): Promise<number> {
    return finders.upsert(modelMetadata(this), rows, uniqueBy as string | string[], updateColumns as string[] | undefined)
  }

  /** Deletes the models with these keys, each through `delete()` (events run); resolves to how many. */
  static async destroy<T extends typeof Model>(this: T, ids: unknown): Promise<number> {
    const list = Array.isArray(ids) ? ids : [ids]
    const models = await this.findMany(list)
    let count = 0
    for (const model of models) if (await model.delete()) count++
    return count
  }

  /**
   * Deletes the rows `static prunable` selects, in chunks (1000 by default), each through the
   * model with its events unless `static massPrunable = true`; resolves to the number pruned.
   * ```ts
   * class Session extends Model {
   *   static prunable = (q: ModelQuery<Session>) => q.where('lastSeenAt', '<', new Date(Date.now() - 86_400_000))
   * }
   * await Session.prune()   // → 42
   * ```
   */
  static prune<T extends typeof Model>(this: T, options?: PruneOptions): Promise<number> {
    return pruneModel(this, modelMetadata(this), options)
  }

  /**
   * Listens for an event of this model (of every model, on `Model`); resolves to the unsubscribe.
   * Handlers may be async and are awaited in registration order, this class's before its
   * superclasses' and `Model`'s; a `-ing` handler returning `false` cancels the write.
   *
   * ```ts
   * const off = User.on('creating', (user) => { user.email = user.email.toLowerCase() })
   * off()
   * ```
   */
  static on<T extends typeof Model>(this: T, event: ModelEventName, handler: ModelEventHandler<Instance<T>>): () => void {
    return listeners.add(this, event, handler as ModelEventHandler)
  }

  /** Removes a listener added with `on()`: `User.off('created', fn)`; `false` when it was not there. */
  static off<T extends typeof Model>(this: T, event: ModelEventName, handler: ModelEventHandler<Instance<T>>): boolean {
    return listeners.remove(this, event, handler as ModelEventHandler)
  }

  /**
   * Registers an observer (an object, or a class made once) whose methods are named after events;
   * with `afterCommit = true` its `-ed` methods run after the transaction commits. Resolves to
   * the unsubscribe. `User.observe(new UserObserver())`
   */
  static observe<T extends typeof Model>(this: T, observer: ObserverInput<Instance<T>>): () => void {
    return observe(this, observer as ObserverInput<Model>)
  }

  /**
   * Runs `fn` with this model's events (its subclasses' too; every model's on `Model`) switched
   * off, only in `fn`'s own async flow: `await User.withoutEvents(() => User.create(row))`.
   */
  static withoutEvents<R>(fn: () => R | Promise<R>): Promise<R> {
    return withoutEvents(this, fn)
  }

  /**
   * Loads relations onto models already in hand, skipping those each model holds already: one
   * query per relation for the whole array. `await Model.loadMissing(users, 'posts.comments')`,
   * or one path with a constraint: `await Model.loadMissing(users, 'posts', (q) => q.orderBy('id', 'desc').limit(3))`.
   */
  static async loadMissing<M extends Model, P extends string>(models: readonly M[], path: ValidPath<M, P>, constrain: RelationConstraint<M, P>): Promise<M[]>
  static async loadMissing<M extends Model, const P extends readonly string[]>(models: readonly M[], ...paths: ValidPaths<M, P>): Promise<M[]>
  static async loadMissing<M extends Model>(models: readonly M[], ...paths: unknown[]): Promise<M[]> {
    await loadRelations(models, paths, true, 'loadMissing')
    return models as M[]
  }

  /**
   * Names stored in `*_type` columns for model classes (else their table names). Calls merge;
   * one name mapped to two classes is an error. `Model.morphMap({ post: Post, video: Video })`
   */
  static morphMap(map: Record<string, typeof Model>): void {
    morphMap(map)
  }

  // ---- instance ------------------------------------------------------------------------

  /**
   * Loads relations onto this model (again, if loaded already): `await user.load('roles', 'posts.comments')`,
   * or one path with a constraint: `await user.load('posts', (q) => q.where('published', true))`.
   */
  // `this` parameters rather than polymorphic `this`: comparing a model class with Model then
  // never has to expand relation paths (which would recurse through the models' relations).
  load<T extends ModelLike, P extends string>(this: T, path: ValidPath<T, P>, constrain: RelationConstraint<T, P>): Promise<T>
  load<T extends ModelLike, const P extends readonly string[]>(this: T, ...paths: ValidPaths<T, P>): Promise<T>
  async load(...args: unknown[]): Promise<this> {
    await loadRelations([this], args, false, 'load')
    return this
  }

  /**
   * One relation of this model, to query through or write through:
   * `await user.related('posts').create({ title: 'x' })`, `await user.related('roles').attach([1, 2])`.
   */
  related<T extends ModelLike, K extends RelationName<T>>(this: T, name: K): RelatedClient<T[K & keyof T]> {
    return relatedClient(this as unknown as Model, name) as unknown as RelatedClient<T[K & keyof T]>
  }

  /** @internal */
  get $meta(): ModelMetadata {
    return modelMetadata(this.constructor as typeof Model)
  }

  /** Assigns attributes, honouring `fillable`/`guarded` (a refused key throws `MassAssignmentError`). */
  fill(attributes: ModelAttributes<this>): this {
    const Class = this.constructor as MassAssignmentRules
    const rules = { fillable: Class.fillable, guarded: Class.guarded }
    for (const [property, value] of assignments(this.$meta, attributes, rules)) {
      ;(this as unknown as Record<string, unknown>)[property] = value
    }
    return this
  }

  /** Assigns attributes without the mass assignment rules (for trusted data); unknown keys still throw. */
  merge(attributes: ModelAttributes<this>): this {
    for (const [property, value] of assignments(this.$meta, attributes, undefined)) {
      ;(this as unknown as Record<string, unknown>)[property] = value
    }
    return this
  }

  /** Inserts or updates (only the dirty columns; nothing when nothing changed). */
  async save(): Promise<boolean> {
    return persistence.saveModel(this, this.$meta)
  }

  /** Soft-deletes when the model has `deletedAt`, else deletes the row. */
  async delete(): Promise<boolean> {
    return persistence.deleteModel(this, this.$meta)
  }

  /** `save()` without firing any event. */
  async saveQuietly(): Promise<boolean> {
    return withoutEvents(this.constructor, () => this.save())
  }

  /** `delete()` without firing any event. */
  async deleteQuietly(): Promise<boolean> {
    return withoutEvents(this.constructor, () => this.delete())
  }

  /** Deletes the row even when the model soft-deletes. */
  async forceDelete(): Promise<boolean> {
    return persistence.forceDeleteModel(this, this.$meta)
  }

  /** Undoes a soft delete. */
  async restore(): Promise<boolean> {
    return persistence.restoreModel(this, this.$meta)
  }

  /** Whether this model is soft-deleted. */
  trashed(): boolean {
    const deletedAt = this.$meta.deletedAt
    return deletedAt !== undefined && this.$attributes[deletedAt.column] != null
  }

  /** Reads the row again, replacing every attribute (unsaved changes are lost). */
  async refresh(): Promise<this> {
    await persistence.refreshModel(this, this.$meta)
    return this
  }

  /**
   * `set column = column + amount` in SQL, and on this model; `extra` columns are written in the
   * same statement: `await post.increment('views', 1, { lastViewedAt: new Date() })`.
   */
  async increment(column: NumericColumnName<this>, amount = 1, extra?: ModelAttributes<this>): Promise<boolean> {
    return persistence.incrementModel(this, this.$meta, column, amount, extra as Row | undefined)
  }

  /** `set column = column - amount`, with `extra` columns as `increment()`. */
  async decrement(column: NumericColumnName<this>, amount = 1, extra?: ModelAttributes<this>): Promise<boolean> {
    return persistence.incrementModel(this, this.$meta, column, typeof amount === 'number' ? -amount : amount, extra as Row | undefined)
  }

  /**
   * Saves with `updatedAt` set to now. It always writes: within the same millisecond as the last
   * write, the timestamp moves one millisecond past the stored one.
   */
  async touch(): Promise<boolean> {
    const updatedAt = this.$meta.updatedAt
    if (updatedAt) {
      const attributes = this as unknown as Record<string, unknown>
      const previous = attributes[updatedAt.property]
      const now = Date.now()
      const last = previous instanceof Date ? previous.getTime() : -Infinity
      attributes[updatedAt.property] = new Date(now > last ? now : last + 1)
    }
    return this.save()
  }

  /** An unsaved copy without the key, timestamps, slugs and version. */
  replicate(): this {
    const meta = this.$meta
    const copy = new (this.constructor as new () => this)()
    const skip = new Set([...meta.primaryKey, meta.createdAt, meta.updatedAt, meta.deletedAt, meta.version, ...meta.slugs].filter(Boolean).map((c) => c!.column))
    for (const column of meta.columns) {
      if (skip.has(column.column) || this.$attributes[column.column] === undefined) continue
      const value = this.$attributes[column.column]
      copy.$attributes[column.column] = column.effectiveCast?.byContent ? structuredClone(value) : value
    }
    return copy
  }

  /** Whether `other` is the same row: same model table and connection, same key. */
  is(other: Model | null | undefined): boolean {
    if (!other || !(other instanceof Model)) return false
    const meta = this.$meta
    const theirs = other.$meta
    if (meta.table !== theirs.table || ModelAdapter.connection(meta) !== ModelAdapter.connection(theirs) || !meta.primaryKey.length) return false
    return meta.primaryKey.every((key) => {
      const mine = this.$attributes[key.column]
      return mine !== undefined && mine !== null && String(mine) === String(other.$attributes[key.column])
    })
  }

  /** Whether any column (or `column`) differs from `$original`. */
  isDirty(column?: ColumnName<this>): boolean {
    const dirty = dirtyColumns(this, this.$meta)
    if (column === undefined) return dirty.length > 0
    return dirty.includes(this.columnFor(column))
  }

  /** The changed values by property: `{ email: 'new@x.y' }`. */
  getDirty(): Partial<ModelAttributes<this>> {
    return byProperty(this.$meta, this.$attributes, dirtyColumns(this, this.$meta)) as Partial<ModelAttributes<this>>
  }

  /** Whether the last save wrote any column (or `column`). */
  wasChanged(column?: ColumnName<this>): boolean {
    if (column === undefined) return this.$changes.length > 0
    return this.$changes.includes(this.columnFor(column))
  }

  private columnFor(name: string): string {
    const column = columnOf(this.$meta, name)
    if (!column) throw unknownColumn(this.$meta, name, 'isDirty()/wasChanged()')
    return column
  }

  /**
   * A plain object for JSON: camelCase keys, hidden columns left out, `$extras` and loaded
   * relations included. Typed by the model's columns and relations (`ModelJSON`).
   */
  toJSON<T extends ModelLike>(this: T): ModelJSON<T> {
    const model = this as unknown as Model
    return serializeModel(model, model.$meta) as ModelJSON<T>
  }

  /** `toJSON()` with a choice of fields and per-relation options. */
  serialize(options?: SerializeOptions): Record<string, unknown> {
    return serializeModel(this, this.$meta, options)
  }

  [inspect.custom](): string {
    return `${this.constructor.name} ${inspect(this.toJSON(), { depth: 4 })}`
  }
}

// The members most models never set live on the prototype until one does, so a hydrated model
// carries three fields of its own ($attributes, $originalAttributes, $isPersisted): loading 20,000 models
// left the garbage collector a third less to copy.
Object.assign(Model.prototype, {
  $isDeleted: false,
  $extrasStore: undefined,
  $relationsStore: undefined,
  $pivot: undefined,
  $changes: NOTHING,
  $snapshots: undefined,
})
