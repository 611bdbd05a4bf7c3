import {
  type Catalog,
  type CatalogQuery,
  type ColumnInfo,
  type ForeignKeyInfo,
  foreignKeyAction,
  groupBy,
  type IndexInfo,
  type NormalizedType,
  sizeOf,
  sortIndexes,
} from '../dialect.js'

/**
 * SQLite keeps a column's declared type as written (`varchar(120)`, `boolean`, `datetime`); it is
 * normalised by name. Quarry's schema builder declares JSON and UUID columns `text` there, and
 * knex declares `decimal` and `double` as `float`: those read back as `text` and `float`.
 */
export function sqliteType(declared: string): NormalizedType {
  const t = declared.toLowerCase().replace(/\(.*$/, '').trim()
  if (t === '') return 'other'
  if (t === 'boolean' || t === 'bool') return 'boolean'
  if (t === 'bigint' || t === 'int8' || t === 'unsigned big int') return 'bigInteger'
  if (t.includes('int')) return 'integer'
  if (t === 'uuid' || (/char/.test(t) && /\(\s*36\s*\)/.test(declared))) return 'uuid'
  if (/char|varying|nvarchar/.test(t)) return 'string'
  if (t === 'text' || t === 'clob' || t.endsWith('text')) return 'text'
  if (t === 'json' || t === 'jsonb') return 'json'
  if (t === 'real' || t === 'float') return 'float'
  if (t.startsWith('double')) return 'double'
  if (t === 'decimal' || t === 'numeric') return 'decimal'
  if (t === 'datetime' || t.startsWith('timestamp')) return 'dateTime'
  if (t === 'date') return 'date'
  if (t === 'time') return 'time'
  if (t === 'blob' || t.includes('binary')) return 'binary'
  return 'other'
}

/** `constraint "name" foreign key ("a", "b")` in a table's SQL → `a,b` → name. */
function foreignKeyNames(sql: string): Map<string, string> {
  const names = new Map<string, string>()
  const pattern = /constraint\s+[`"[]?([^`"\]\s]+)[`"\]]?\s+foreign\s+key\s*\(([^)]*)\)/gi
  for (const match of sql.matchAll(pattern)) {
    const columns = match[2]!.split(',').map((c) => c.trim().replace(/^[`"[]|[`"\]]$/g, ''))
    names.set(columns.join(','), match[1]!)
  }
  return names
}

async function primaryColumns(query: CatalogQuery, table: string): Promise<string[]> {
  const rows = await query('select name, pk from pragma_table_info(?) where pk > 0 order by pk', [table])
  return rows.map((r) => String(r.name))
}

/** The catalog of SQLite and libSQL: `sqlite_master` and the table-valued pragmas. */
export const sqliteCatalog: Catalog = {
  async tables(query) {
    const rows = await query("select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\' order by name")
    return rows.map((r) => ({ name: String(r.name) }))
  },

  async views(query) {
    const rows = await query("select name from sqlite_master where type = 'view' order by name")
    return rows.map((r) => String(r.name))
  },

  async types() {
    return []
  },

  async columns(query, table) {
    const rows = await query('select name, type, "notnull" as not_null, dflt_value, pk from pragma_table_info(?) order by cid', [table])
    const keyCount = rows.filter((r) => Number(r.pk) > 0).length
    return rows.map((r): ColumnInfo => {
      const databaseType = String(r.type ?? '')
      const type = sqliteType(databaseType)
      // A lone INTEGER PRIMARY KEY is the rowid: the database assigns it, and it is never null.
      const rowid = keyCount === 1 && Number(r.pk) > 0 && databaseType.toLowerCase() === 'integer'
      return {
        name: String(r.name),
        type,
        databaseType,
        nullable: Number(r.not_null) === 0 && !rowid,
        default: r.dflt_value === null || r.dflt_value === undefined ? null : String(r.dflt_value),
        primary: Number(r.pk) > 0,
        autoIncrement: rowid,
        ...sizeOf(type, databaseType),
      }
    })
  },

  async indexes(query, table) {
    const list = await query('select name, "unique" as is_unique, origin from pragma_index_list(?)', [table])
    const indexes: IndexInfo[] = []
    for (const index of list) {
      const name = String(index.name)
      const parts = await query('select name from pragma_index_info(?) order by seqno', [name])
      const primary = index.origin === 'pk'
      indexes.push({
        name: primary ? 'primary' : name,
        columns: parts.map((p) => (p.name === null ? '(expression)' : String(p.name))),
        unique: Number(index.is_unique) === 1,
        primary,
      })
    }
    if (!indexes.some((i) => i.primary)) {
      const key = await primaryColumns(query, table)
      if (key.length) indexes.push({ name: 'primary', columns: key, unique: true, primary: true })
    }
    return sortIndexes(indexes)
  },

  async foreignKeys(query, table) {
    const rows = await query('select id, seq, "table" as foreign_table, "from" as from_column, "to" as to_column, on_update, on_delete from pragma_foreign_key_list(?) order by id, seq', [table])
    if (!rows.length) return []
    const [definition] = await query("select sql from sqlite_master where type = 'table' and name = ?", [table])
    const named = foreignKeyNames(String(definition?.sql ?? ''))
    const keys: ForeignKeyInfo[] = []
    for (const group of groupBy(rows, (r) => String(r.id))) {
      const first = group[0]!
      const foreignTable = String(first.foreign_table)
      const columns = group.map((r) => String(r.from_column))
      // `references teams` without columns means the referenced table's primary key.
      const foreignColumns = group.some((r) => r.to_column === null) ? await primaryColumns(query, foreignTable) : group.map((r) => String(r.to_column))
      keys.push({
        name: named.get(columns.join(',')) ?? `${table}_${columns.join('_')}_foreign`,
        columns,
        foreignTable,
        foreignColumns,
        onDelete: foreignKeyAction(first.on_delete),
        onUpdate: foreignKeyAction(first.on_update),
      })
    }
    return keys.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  },
}
