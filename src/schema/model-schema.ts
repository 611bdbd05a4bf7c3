import { QuarryError } from '../errors/index.js'
import type { ColumnType, ModelColumn } from '../model/column-definition.js'
import { type Model, modelMetadata } from '../model/model.js'
import type { ModelMetadata } from '../model/model-metadata.js'
import { BelongsTo } from '../relations/belongs-to/belongs-to.js'
import { BelongsToMany } from '../relations/belongs-to-many/belongs-to-many.js'
import { MorphTo } from '../relations/morph-to/morph-to.js'
import { relationsOf } from '../relations/relation-lookup.js'

/** A column as the models describe it. */
export interface DesiredColumn {
  name: string
  type: ColumnType
  length?: number
  precision?: number
  scale?: number
  nullable: boolean
  /** The schema default (undefined: none). */
  default?: string | number | boolean | null
  primary: boolean
  /** The database assigns it (`@column.primary()` with the default `increments`). */
  autoIncrement: boolean
  /** Holds another table's auto-increment key. */
  unsigned: boolean
  values?: readonly string[]
}

export interface DesiredIndex {
  columns: string[]
  unique: boolean
}

export interface DesiredForeignKey {
  columns: string[]
  foreignTable: string
  foreignColumns: string[]
  onDelete?: 'CASCADE'
}

/** A table as the models describe it. */
export interface DesiredTable {
  name: string
  /** Where it comes from, for messages: `User`, or `pivot of User.roles`. */
  source: string
  columns: DesiredColumn[]
  primary: string[]
  indexes: DesiredIndex[]
  foreignKeys: DesiredForeignKey[]
}

type ModelClass = abstract new () => Model

const DEFAULT_SIZES: Partial<Record<ColumnType, Pick<DesiredColumn, 'length' | 'precision' | 'scale'>>> = {
  string: { length: 255 },
  decimal: { precision: 8, scale: 2 },
}

/**
 * The tables the models describe: each model's columns (types from `type`, the typed variants,
 * keys and decorator metadata), its unique and plain indexes, a foreign key per belongsTo, an
 * index per morphTo, and a pivot table per belongsToMany whose table no model declares. A column
 * whose type cannot be told is a `QuarryError` naming every model property that needs `type`.
 *
 * ```ts
 * const tables = modelSchema([User, Post, Role])   // [{ name: 'posts', columns: [...], foreignKeys: [...] }, …]
 * ```
 */
export function modelSchema(models: readonly ModelClass[]): DesiredTable[] {
  const metas = models.map((m) => modelMetadata(m))
  const byTable = new Map<string, DesiredTable>()
  const missing: string[] = []
  const resolver = new TypeResolver(missing)
  for (const meta of metas) {
    if (byTable.has(meta.table)) continue
    byTable.set(meta.table, modelTable(meta, resolver))
  }
  for (const meta of metas) {
    const table = byTable.get(meta.table)!
    for (const relation of relationsOf(meta)) {
      if (relation instanceof BelongsTo) {
        const related = modelMetadata(relation.relatedClass() as ModelClass)
        if (!metas.includes(related)) continue
        addForeignKey(table, { columns: [relation.foreignKey], foreignTable: related.table, foreignColumns: [relation.ownerKey] })
      } else if (relation instanceof MorphTo) {
        addIndex(table, { columns: [relation.typeColumn, relation.idColumn], unique: false })
      } else if (relation instanceof BelongsToMany) {
        addPivot(byTable, relation, meta, metas, resolver)
      }
    }
  }
  if (missing.length) {
    throw new QuarryError(
      `The migration generator cannot tell the type of ${missing.length === 1 ? 'this column' : 'these columns'} ` +
        `(no decorator metadata was emitted for them); declare it, e.g. @column({ type: 'string' }):\n` +
        missing.map((m) => `  ${m}`).join('\n'),
    )
  }
  return [...byTable.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

function modelTable(meta: ModelMetadata, resolver: TypeResolver): DesiredTable {
  const table: DesiredTable = { name: meta.table, source: meta.name, columns: [], primary: meta.primaryKey.map((c) => c.column), indexes: [], foreignKeys: [] }
  for (const column of meta.columns) {
    const type = resolver.type(meta, column)
    if (!type) continue
    const schema = column.schema ?? {}
    const autoIncrement = meta.autoIncrement === column
    const fromKey = resolver.foreignKeyUnsigned(meta, column)
    const desired: DesiredColumn = {
      name: column.column,
      type: type.type,
      ...DEFAULT_SIZES[type.type],
      nullable: !column.primary && (schema.nullable ?? false),
      primary: column.primary,
      autoIncrement,
      unsigned: autoIncrement || fromKey,
    }
    if (schema.length !== undefined) desired.length = schema.length
    if (schema.precision !== undefined) desired.precision = schema.precision
    if (schema.scale !== undefined) desired.scale = schema.scale
    if (isSchemaDefault(schema.default)) desired.default = schema.default
    if (type.type === 'enum') {
      if (!schema.values?.length) throw new QuarryError(`${meta.name}.${column.property}: an enum column needs its values: @column({ type: 'enum', values: ['draft', 'published'] })`)
      desired.values = schema.values
    }
    table.columns.push(desired)
    if (schema.unique) addIndex(table, { columns: [column.column], unique: true })
    if (schema.index) addIndex(table, { columns: [column.column], unique: false })
  }
  return table
}

function isSchemaDefault(value: unknown): value is string | number | boolean | null {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value)
}

/** Works out column types, following foreign keys to the key they hold. */
class TypeResolver {
  constructor(private readonly missing: string[]) {}

  type(meta: ModelMetadata, column: ModelColumn, seen = new Set<ModelColumn>()): { type: ColumnType } | undefined {
    const explicit = column.schema?.type
    if (explicit) return { type: explicit }
    if (column.primary && (column.keyType ?? 'increments') === 'increments' && meta.autoIncrement === column) return { type: 'bigInteger' }
    if (column.primary && column.keyType === 'uuid') return { type: 'uuid' }
    const key = this.referencedKey(meta, column)
    if (key && !seen.has(key.column)) {
      seen.add(key.column)
      const found = this.type(key.meta, key.column, seen)
      if (found) return found
    }
    if (column.schema?.implied) return { type: column.schema.implied }
    const fromMetadata = metadataType(meta, column.property)
    if (fromMetadata) return { type: fromMetadata }
    if (!seen.size) this.missing.push(`${meta.name}.${column.property} (column "${column.column}" of ${meta.table})`)
    return undefined
  }

  /** True when `column` holds another table's auto-increment key (so it must be unsigned like it on MySQL). */
  foreignKeyUnsigned(meta: ModelMetadata, column: ModelColumn): boolean {
    const key = this.referencedKey(meta, column)
    return key !== undefined && key.meta.autoIncrement === key.column
  }

  /** The key column a belongsTo of `meta` points at through `column`. */
  private referencedKey(meta: ModelMetadata, column: ModelColumn): { meta: ModelMetadata; column: ModelColumn } | undefined {
    for (const relation of relationsOf(meta)) {
      if (!(relation instanceof BelongsTo) || relation.foreignKey !== column.column) continue
      const related = modelMetadata(relation.relatedClass() as ModelClass)
      const target = related.byColumn.get(relation.ownerKey)
      if (target) return { meta: related, column: target }
    }
    return undefined
  }

  /** The type of the key column `name` of `meta` as a pivot column holding it. */
  keyType(meta: ModelMetadata, name: string): { type: ColumnType; unsigned: boolean } {
    const column = meta.byColumn.get(name)
    if (!column) return { type: 'bigInteger', unsigned: true }
    return { type: this.type(meta, column)?.type ?? 'bigInteger', unsigned: meta.autoIncrement === column }
  }
}

/** `design:type` where the compiler emitted it: String, Number, Boolean, Date. */
function metadataType(meta: ModelMetadata, property: string): ColumnType | undefined {
  const reflect = Reflect as unknown as { getMetadata?: (key: string, target: object, property: string) => unknown }
  const proto = (meta.ctor as unknown as { prototype: object }).prototype
  const type = reflect.getMetadata?.('design:type', proto, property)
  if (type === String) return 'string'
  if (type === Number) return 'integer'
  if (type === Boolean) return 'boolean'
  if (type === Date) return 'dateTime'
  return undefined
}

function addIndex(table: DesiredTable, index: DesiredIndex): void {
  if (table.indexes.some((i) => same(i.columns, index.columns) && i.unique === index.unique)) return
  table.indexes.push(index)
}

function addForeignKey(table: DesiredTable, key: DesiredForeignKey): void {
  if (table.foreignKeys.some((k) => same(k.columns, key.columns))) return
  table.foreignKeys.push(key)
}

function same(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}

/** The pivot table of a many-to-many relation, unless a model declares that table itself. */
function addPivot(byTable: Map<string, DesiredTable>, relation: BelongsToMany, meta: ModelMetadata, metas: readonly ModelMetadata[], resolver: TypeResolver): void {
  const pivot = relation.pivot
  const existing = byTable.get(pivot.table)
  if (existing && !existing.source.startsWith('pivot of ')) return
  const related = modelMetadata(relation.relatedClass() as ModelClass)
  const table = existing ?? { name: pivot.table, source: `pivot of ${relation.label}`, columns: [], primary: [], indexes: [], foreignKeys: [] }
  byTable.set(pivot.table, table)
  const add = (column: DesiredColumn) => {
    if (!table.columns.some((c) => c.name === column.name)) table.columns.push(column)
  }
  const keyColumn = (name: string, of: { type: ColumnType; unsigned: boolean }): DesiredColumn => ({
    name,
    type: of.type,
    ...DEFAULT_SIZES[of.type],
    nullable: false,
    primary: false,
    autoIncrement: false,
    unsigned: of.unsigned,
  })
  // Which side the morph columns name depends on the kind; the other side is a real foreign key.
  const parentKey = resolver.keyType(meta, relation.localKey)
  const relatedKey = resolver.keyType(related, relation.relatedKey)
  add(keyColumn(pivot.foreignKey, parentKey))
  add(keyColumn(pivot.relatedKey, relatedKey))
  if (pivot.type) add({ name: pivot.type.column, type: 'string', length: 255, nullable: false, primary: false, autoIncrement: false, unsigned: false })
  for (const column of pivot.columns) {
    if ([pivot.foreignKey, pivot.relatedKey, pivot.type?.column].includes(column.column)) continue
    if (column.date) {
      add({ name: column.column, type: 'dateTime', nullable: true, primary: false, autoIncrement: false, unsigned: false })
      continue
    }
    throw new QuarryError(
      `${relation.label}: the migration generator cannot tell the type of the pivot column "${column.column}" of ${pivot.table}; ` +
        `declare the pivot table with a model of its own (@table('${pivot.table}') class … extends Model with @column properties)`,
    )
  }
  const keys = pivot.type
    ? relation.kind === 'morphToMany' ? [pivot.type.column, pivot.foreignKey, pivot.relatedKey] : [pivot.type.column, pivot.relatedKey, pivot.foreignKey]
    : [pivot.foreignKey, pivot.relatedKey].sort()
  addIndex(table, { columns: keys, unique: true })
  const morphSide = relation.kind === 'morphToMany' ? pivot.foreignKey : relation.kind === 'morphedByMany' ? pivot.relatedKey : undefined
  if (pivot.foreignKey !== morphSide && metas.includes(meta)) {
    addForeignKey(table, { columns: [pivot.foreignKey], foreignTable: meta.table, foreignColumns: [relation.localKey], onDelete: 'CASCADE' })
  }
  if (pivot.relatedKey !== morphSide && metas.includes(related)) {
    addForeignKey(table, { columns: [pivot.relatedKey], foreignTable: related.table, foreignColumns: [relation.relatedKey], onDelete: 'CASCADE' })
  }
}
