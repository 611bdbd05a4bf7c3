import type { DateStorage } from '../dialects/date-storage.js'
import { QuarryError } from '../errors/index.js'
import { booleanCast, type ColumnCast, dateTimeCast } from './casts.js'
import type { ColumnDefinition, ModelColumn } from './column-definition.js'
import { type ColumnNaming, columnNameFor, defaultTableName } from './naming.js'

const METADATA = Symbol('quarry.metadata')

/** The table options `@table` and `useConnection` record. */
export interface TableSettings {
  table?: string
  connection?: string
  naming?: ColumnNaming
}

type ModelConstructor = abstract new (...args: never[]) => object

interface Holder {
  [METADATA]?: ModelMetadata
}

/** Models by table name, so `posts.authorId` can be resolved from another model's query. */
const byTable = new Map<string, ModelMetadata>()

/**
 * Everything Quarry knows about one model class: its columns and their roles, the table, the
 * connection, the declared relations. Decorators fill it; `finalize()` settles names and builds
 * the lookups the hot paths use (hydration casts, name resolution, serialisation). Each class
 * has its own, started from a copy of its parent's, so subclasses inherit columns.
 */
export class ModelMetadata {
  readonly definitions = new Map<string, ColumnDefinition>()
  /** Relation definitions by property name; filled by the relation decorators (src/relations). */
  readonly relations = new Map<string, unknown>()
  settings: TableSettings = {}

  // Settled by finalize():
  table = ''
  columns: ModelColumn[] = []
  byProperty = new Map<string, ModelColumn>()
  /** Property or column name → the column. */
  lookup = new Map<string, ModelColumn>()
  /** Column name → the column. */
  byColumn = new Map<string, ModelColumn>()
  primaryKey: ModelColumn[] = []
  /** The single primary key the database assigns, if the model has one. */
  autoIncrement: ModelColumn | undefined
  createdAt: ModelColumn | undefined
  updatedAt: ModelColumn | undefined
  deletedAt: ModelColumn | undefined
  version: ModelColumn | undefined
  slugs: ModelColumn[] = []
  /** Columns whose values are converted when read, by their casts' `get` (see `readCastsOn`). */
  readCasts: ReadCast[] = []
  /** JSON-like columns compared by content for dirty tracking. */
  byContent: ModelColumn[] = []
  private finalized = false
  /** `readCastsOn`'s last answer: a model is almost always read from one dialect. */
  private readCache: { dates: DateStorage; casts: ReadCast[] } | undefined

  constructor(readonly ctor: ModelConstructor) {}

  get name(): string {
    return this.ctor.name || 'Model'
  }

  get isFinalized(): boolean {
    return this.finalized
  }

  /**
   * The read conversions on a dialect: the only per-row work of hydration. Date columns read the
   * forms the dialect stores and name the column when a value is none of them.
   */
  readCastsOn(dates: DateStorage): ReadCast[] {
    const cached = this.readCache
    if (cached !== undefined && cached.dates === dates) return cached.casts
    const casts = this.columns
      .filter((c) => c.effectiveCast)
      .map((c) => {
        const cast = c.effectiveCast!
        const where = `${this.name}.${c.property} (column "${c.column}")`
        return { column: c.column, get: cast.readerFor ? cast.readerFor(dates, where) : cast.get }
      })
    this.readCache = { dates, casts }
    return casts
  }

  /** Settles names and builds the lookups, once; defines the accessors through `define`. */
  finalize(define: (meta: ModelMetadata) => void): this {
    if (this.finalized) return this
    const naming = this.settings.naming ?? 'snake_case'
    this.table = this.settings.table ?? defaultTableName(this.name)
    const proto = (this.ctor as unknown as { prototype: object }).prototype
    this.columns = [...this.definitions.values()].map((def) => {
      const column = def.columnName ?? columnNameFor(def.property, naming)
      const serializedKey = def.hidden || def.serializeAs === null ? null : (def.serializeAs ?? def.property)
      return { ...def, column, serializedKey, effectiveCast: def.cast ?? inferCast(proto, def.property) }
    })
    for (const column of this.columns) {
      this.byProperty.set(column.property, column)
      this.byColumn.set(column.column, column)
      this.lookup.set(column.column, column)
    }
    // Property names win over column names when they collide.
    for (const column of this.columns) this.lookup.set(column.property, column)
    this.primaryKey = this.columns.filter((c) => c.primary)
    const [onlyKey] = this.primaryKey
    this.autoIncrement = this.primaryKey.length === 1 && (onlyKey!.keyType ?? 'increments') === 'increments' ? onlyKey : undefined
    for (const role of ['createdAt', 'updatedAt', 'deletedAt', 'version'] as const) {
      const found = this.columns.filter((c) => c.role === role)
      if (found.length > 1) throw new QuarryError(`${this.name} declares more than one @column.${role}()`)
      this[role] = found[0]
    }
    this.slugs = this.columns.filter((c) => c.slug)
    for (const slug of this.slugs) {
      for (const source of slug.slug!.from) {
        if (!this.byProperty.has(source)) {
          throw new QuarryError(`${this.name}.${slug.property}: @column.slug({ from: '${source}' }) names no column property`)
        }
      }
    }
    this.readCasts = this.columns.filter((c) => c.effectiveCast).map((c) => ({ column: c.column, get: c.effectiveCast!.get }))
    this.byContent = this.columns.filter((c) => c.effectiveCast?.byContent)
    define(this)
    if (!byTable.has(this.table)) byTable.set(this.table, this)
    this.finalized = true
    return this
  }
}

/** One column's read conversion. */
export interface ReadCast {
  readonly column: string
  readonly get: (value: unknown) => unknown
}

/** A property typed `Date` or `boolean` gets its cast from decorator metadata when the compiler emitted it. */
function inferCast(proto: object, property: string): ColumnCast | undefined {
  const reflect = Reflect as unknown as { getMetadata?: (key: string, target: object, property: string) => unknown }
  const type = reflect.getMetadata?.('design:type', proto, property)
  if (type === Date) return dateTimeCast
  if (type === Boolean) return booleanCast
  return undefined
}

/** The metadata of `ctor`, created (from a copy of its parent's) on first use. */
export function metadataOf(ctor: ModelConstructor): ModelMetadata {
  const holder = ctor as unknown as Holder
  if (Object.hasOwn(holder, METADATA)) return holder[METADATA]!
  const meta = new ModelMetadata(ctor)
  const parent = Object.getPrototypeOf(ctor) as Holder | null
  const inherited = parent && parent[METADATA]
  if (inherited) {
    for (const [key, def] of inherited.definitions) meta.definitions.set(key, def)
    for (const [key, rel] of inherited.relations) meta.relations.set(key, rel)
    // An explicit table and connection carry over to subclasses; a default table name does not.
    meta.settings = { ...inherited.settings }
  }
  Object.defineProperty(ctor, METADATA, { value: meta, enumerable: false, configurable: true, writable: false })
  return meta
}

/** Models declared with an explicit `@table(name)`, before they are first used. */
const declared = new Map<string, ModelMetadata>()

/** Records that `meta`'s model is declared for `table` (called by `@table`). */
export function declareTable(table: string, meta: ModelMetadata): void {
  if (!declared.has(table)) declared.set(table, meta)
}

/** The metadata of the model used (or declared with `@table`) for `table`, if any. */
export function metadataForTable(table: string): ModelMetadata | undefined {
  return byTable.get(table) ?? declared.get(table)
}

/** Registers a relation on a model (the seam the relation decorators use). */
export function registerRelation(ctor: ModelConstructor, property: string, definition: unknown): void {
  const meta = metadataOf(ctor)
  if (meta.isFinalized) throw new QuarryError(`${meta.name}: relations must be declared before the model is first used`)
  meta.relations.set(property, definition)
}
