import type { ColumnInfo, DialectCapabilities, ForeignKeyInfo, IndexInfo, NormalizedType } from '../dialects/dialect.js'
import { QuarryError } from '../errors/index.js'
import type { DesiredColumn, DesiredForeignKey, DesiredIndex, DesiredTable } from './model-schema.js'
import type { SchemaInspector } from './schema-inspector.js'

/** What the database holds of one table. */
export interface ActualTable {
  name: string
  columns: ColumnInfo[]
  indexes: IndexInfo[]
  foreignKeys: ForeignKeyInfo[]
}

/** One change that brings the database to what the models say. */
export type SchemaChange =
  | { kind: 'createTable'; table: DesiredTable }
  | { kind: 'dropTable'; table: ActualTable }
  | { kind: 'renameTable'; from: string; to: string }
  | { kind: 'renameColumn'; table: string; from: string; to: string }
  | { kind: 'addColumn'; table: string; column: DesiredColumn }
  | { kind: 'dropColumn'; table: string; column: ColumnInfo }
  | { kind: 'alterColumn'; table: string; column: DesiredColumn; was: ColumnInfo; why: string[] }
  | { kind: 'addIndex'; table: string; index: DesiredIndex }
  | { kind: 'dropIndex'; table: string; index: IndexInfo }
  | { kind: 'addForeignKey'; table: string; key: DesiredForeignKey }
  | { kind: 'dropForeignKey'; table: string; key: ForeignKeyInfo }

export interface SchemaDiff {
  changes: SchemaChange[]
  /** Drops left out for want of `--allow-drop`, as sentences. */
  warnings: string[]
}

export interface DiffOptions {
  /** `users.name:full_name` (a column) or `people:users` (a table). */
  renames?: readonly string[]
  /** Drop tables, columns, indexes and foreign keys the models no longer have (else: warnings). */
  allowDrop?: boolean
  /** Tables that belong to Quarry itself (the migrations table and its lock); never compared. */
  ignore?: readonly string[]
}

const DROPS = new Set(['dropTable', 'dropColumn', 'dropIndex', 'dropForeignKey'])

/** Reads every table of the database through `db.schema`. */
export async function readDatabase(inspector: SchemaInspector, ignore: readonly string[]): Promise<ActualTable[]> {
  const out: ActualTable[] = []
  for (const { name } of await inspector.getTables()) {
    if (ignore.includes(name)) continue
    const [columns, indexes, foreignKeys] = await Promise.all([inspector.getColumns(name), inspector.getIndexes(name), inspector.getForeignKeys(name)])
    out.push({ name, columns, indexes, foreignKeys })
  }
  return out
}

/**
 * The changes from the database's tables to the models' (renames only as `renames` says, drops
 * only with `allowDrop`; otherwise each drop is a warning). Types are compared by family, as the
 * database can store them: `varchar(255)` is a `string`, a UUID kept in text is a `uuid`.
 *
 * ```ts
 * const { changes, warnings } = diffSchema(modelSchema(models), await readDatabase(db.schema, []), dialect.supports)
 * ```
 */
export function diffSchema(desired: readonly DesiredTable[], actual: readonly ActualTable[], supports: DialectCapabilities, options: DiffOptions = {}): SchemaDiff {
  const { tables: tableRenames, columns: columnRenames } = parseRenames(options.renames ?? [])
  const changes: SchemaChange[] = []
  const byName = new Map(actual.map((t) => [t.name, t]))
  for (const [from, to] of tableRenames) {
    if (!byName.has(from)) throw new QuarryError(`--rename ${from}:${to}: the database has no table ${from}`)
    if (byName.has(to)) throw new QuarryError(`--rename ${from}:${to}: the database already has a table ${to}`)
    if (!desired.some((t) => t.name === to)) throw new QuarryError(`--rename ${from}:${to}: no model declares a table ${to}`)
    changes.push({ kind: 'renameTable', from, to })
    byName.set(to, { ...byName.get(from)!, name: to })
    byName.delete(from)
  }
  for (const table of desired) {
    const was = byName.get(table.name)
    if (!was) {
      if (columnRenames.has(table.name)) throw new QuarryError(`--rename ${table.name}.…: the database has no table ${table.name}`)
      changes.push({ kind: 'createTable', table })
      continue
    }
    changes.push(...diffTable(table, was, supports, columnRenames.get(table.name) ?? new Map()))
  }
  for (const table of byName.values()) {
    if (!desired.some((t) => t.name === table.name)) changes.push({ kind: 'dropTable', table })
  }
  const warnings: string[] = []
  const kept = changes.filter((change) => {
    if (!DROPS.has(change.kind) || options.allowDrop) return true
    warnings.push(`${describeChange(change)} (left out: pass --allow-drop to drop it${change.kind === 'dropColumn' || change.kind === 'dropTable' ? ', or --rename if it was renamed' : ''})`)
    return false
  })
  return { changes: kept, warnings }
}

function parseRenames(renames: readonly string[]) {
  const tables = new Map<string, string>()
  const columns = new Map<string, Map<string, string>>()
  for (const rename of renames) {
    const column = /^([A-Za-z0-9_]+)\.([A-Za-z0-9_]+):([A-Za-z0-9_]+)$/.exec(rename)
    const table = /^([A-Za-z0-9_]+):([A-Za-z0-9_]+)$/.exec(rename)
    if (column) {
      const map = columns.get(column[1]!) ?? new Map<string, string>()
      map.set(column[2]!, column[3]!)
      columns.set(column[1]!, map)
    } else if (table) tables.set(table[1]!, table[2]!)
    else throw new QuarryError(`--rename ${JSON.stringify(rename)}: write table.old_column:new_column, or old_table:new_table`)
  }
  return { tables, columns }
}

function diffTable(table: DesiredTable, was: ActualTable, supports: DialectCapabilities, renames: Map<string, string>): SchemaChange[] {
  const changes: SchemaChange[] = []
  const name = table.name
  const actual = new Map(was.columns.map((c) => [c.name, c]))
  for (const [from, to] of renames) {
    const column = actual.get(from)
    if (!column) throw new QuarryError(`--rename ${name}.${from}:${to}: the table ${name} has no column ${from}`)
    if (actual.has(to)) throw new QuarryError(`--rename ${name}.${from}:${to}: the table ${name} already has a column ${to}`)
    if (!table.columns.some((c) => c.name === to)) throw new QuarryError(`--rename ${name}.${from}:${to}: the model ${table.source} has no column ${to}`)
    changes.push({ kind: 'renameColumn', table: name, from, to })
    actual.delete(from)
    actual.set(to, { ...column, name: to })
  }
  const renamed = (column: string) => [...renames].find(([from]) => from === column)?.[1] ?? column
  // Foreign keys first (they may depend on indexes and columns that change below).
  const foreignKeys = was.foreignKeys.map((k) => ({ ...k, columns: k.columns.map(renamed) }))
  for (const key of foreignKeys) {
    if (!table.foreignKeys.some((k) => sameKey(k, key))) changes.push({ kind: 'dropForeignKey', table: name, key })
  }
  const indexes = was.indexes.filter((i) => !i.primary).map((i) => ({ ...i, columns: i.columns.map(renamed) }))
  for (const index of indexes) {
    if (table.indexes.some((i) => sameColumns(i.columns, index.columns) && i.unique === index.unique)) continue
    // Indexes the database made for a foreign key (MySQL) are not the models' to drop.
    if (!index.unique && foreignKeys.some((k) => sameColumns(k.columns, index.columns))) continue
    changes.push({ kind: 'dropIndex', table: name, index })
  }
  for (const column of table.columns) {
    const current = actual.get(column.name)
    if (!current) {
      changes.push({ kind: 'addColumn', table: name, column })
      continue
    }
    const why = columnDifferences(column, current, supports)
    if (why.length) changes.push({ kind: 'alterColumn', table: name, column, was: current, why })
  }
  for (const column of actual.values()) {
    if (!table.columns.some((c) => c.name === column.name)) changes.push({ kind: 'dropColumn', table: name, column })
  }
  for (const index of table.indexes) {
    if (!indexes.some((i) => sameColumns(i.columns, index.columns) && i.unique === index.unique)) changes.push({ kind: 'addIndex', table: name, index })
  }
  for (const key of table.foreignKeys) {
    if (!foreignKeys.some((k) => sameKey(key, k))) changes.push({ kind: 'addForeignKey', table: name, key })
  }
  return changes
}

function sameColumns(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}

function sameKey(desired: DesiredForeignKey, actual: ForeignKeyInfo): boolean {
  const action = actual.onDelete === 'CASCADE' ? 'CASCADE' : undefined
  return sameColumns(desired.columns, actual.columns) && desired.foreignTable === actual.foreignTable &&
    sameColumns(desired.foreignColumns, actual.foreignColumns) && desired.onDelete === action
}

const FAMILY: Record<NormalizedType, string> = {
  string: 'string', text: 'text', integer: 'int', bigInteger: 'int', float: 'real', double: 'real', decimal: 'real',
  boolean: 'boolean', date: 'date', dateTime: 'dateTime', time: 'time', json: 'json', uuid: 'uuid', binary: 'binary',
  enum: 'enum', other: 'other',
}

/** Whether a column the database reports as `actual` can be the `desired` type, as this database stores it. */
export function sameFamily(desired: NormalizedType, actual: NormalizedType, supports: DialectCapabilities): boolean {
  if (actual === 'other' || FAMILY[desired] === FAMILY[actual]) return true
  const textual = actual === 'string' || actual === 'text'
  if (desired === 'uuid') return !supports.nativeUuid && textual
  if (desired === 'json') return (!supports.nativeJson && textual) || actual === 'text'
  // Enums are a check constraint over text where the database has no enum type of its own.
  if (desired === 'enum') return textual
  if (desired === 'boolean') return actual === 'integer'
  return false
}

/** What differs between a column the models declare and the one the database has. */
function columnDifferences(column: DesiredColumn, actual: ColumnInfo, supports: DialectCapabilities): string[] {
  const why: string[] = []
  if (!sameFamily(column.type, actual.type, supports)) why.push(`type ${actual.databaseType} → ${column.type}`)
  else if (column.type === 'string' && actual.type === 'string' && actual.length !== null && column.length !== undefined && actual.length !== column.length) {
    why.push(`length ${actual.length} → ${column.length}`)
  } else if (column.type === 'decimal' && actual.type === 'decimal' && actual.precision !== null && column.precision !== undefined &&
    (actual.precision !== column.precision || (actual.scale ?? 0) !== (column.scale ?? 0))) {
    why.push(`precision ${actual.precision},${actual.scale ?? 0} → ${column.precision},${column.scale ?? 0}`)
  }
  if (!column.primary && actual.nullable !== column.nullable) why.push(column.nullable ? 'NOT NULL → nullable' : 'nullable → NOT NULL')
  if (!column.autoIncrement && !actual.autoIncrement && !sameDefault(column.default, actual.default)) {
    why.push(`default ${actual.default ?? 'none'} → ${column.default === undefined ? 'none' : JSON.stringify(column.default)}`)
  }
  return why
}

/** `'draft'::character varying` → `draft`; `NULL` → null; `(0)` → `0`. */
export function normalizeDefault(value: string | null): string | null {
  if (value === null) return null
  let text = value.trim()
  for (let previous = ''; previous !== text;) {
    previous = text
    text = text.replace(/::[A-Za-z_ ]+(\(\d+(,\s*\d+)?\))?(\[\])?$/, '').trim()
    if (/^\(.*\)$/s.test(text)) text = text.slice(1, -1).trim()
  }
  if (/^null$/i.test(text)) return null
  const quoted = /^[eEnN]?'(.*)'$/s.exec(text)
  if (quoted) return quoted[1]!.replace(/''/g, "'")
  return text
}

function sameDefault(desired: DesiredColumn['default'], actual: string | null): boolean {
  const have = normalizeDefault(actual)
  if (desired === undefined || desired === null) return have === null
  if (have === null) return false
  if (typeof desired === 'boolean') return (desired ? ['true', '1', "b'1'"] : ['false', '0', "b'0'"]).includes(have.toLowerCase())
  if (typeof desired === 'number') return Number(have) === desired
  return have === desired
}

/** One line saying what a change does: `add column users.nickname (string, nullable)`. */
export function describeChange(change: SchemaChange): string {
  switch (change.kind) {
    case 'createTable': return `create table ${change.table.name} (${change.table.source})`
    case 'dropTable': return `drop table ${change.table.name}`
    case 'renameTable': return `rename table ${change.from} → ${change.to}`
    case 'renameColumn': return `rename column ${change.table}.${change.from} → ${change.to}`
    case 'addColumn': return `add column ${change.table}.${change.column.name} (${change.column.type}${change.column.nullable ? ', nullable' : ''})`
    case 'dropColumn': return `drop column ${change.table}.${change.column.name}`
    case 'alterColumn': return `change column ${change.table}.${change.column.name}: ${change.why.join(', ')}`
    case 'addIndex': return `add ${change.index.unique ? 'unique ' : ''}index on ${change.table} (${change.index.columns.join(', ')})`
    case 'dropIndex': return `drop ${change.index.unique ? 'unique ' : ''}index ${change.index.name} on ${change.table} (${change.index.columns.join(', ')})`
    case 'addForeignKey': return `add foreign key ${change.table} (${change.key.columns.join(', ')}) → ${change.key.foreignTable} (${change.key.foreignColumns.join(', ')})`
    case 'dropForeignKey': return `drop foreign key ${change.key.name} on ${change.table} (${change.key.columns.join(', ')})`
  }
}
