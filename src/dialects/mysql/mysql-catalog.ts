import {
  type Catalog,
  type ColumnInfo,
  foreignKeyAction,
  groupBy,
  type NormalizedType,
  sizeOf,
  sortIndexes,
} from '../dialect.js'

const TYPES: Record<string, NormalizedType> = {
  varchar: 'string',
  char: 'string',
  tinytext: 'text',
  text: 'text',
  mediumtext: 'text',
  longtext: 'text',
  tinyint: 'integer',
  smallint: 'integer',
  mediumint: 'integer',
  int: 'integer',
  integer: 'integer',
  bigint: 'bigInteger',
  float: 'float',
  double: 'double',
  decimal: 'decimal',
  date: 'date',
  datetime: 'dateTime',
  timestamp: 'dateTime',
  time: 'time',
  json: 'json',
  uuid: 'uuid',
  binary: 'binary',
  varbinary: 'binary',
  tinyblob: 'binary',
  blob: 'binary',
  mediumblob: 'binary',
  longblob: 'binary',
  enum: 'enum',
}

/**
 * MySQL and MariaDB's column type (`COLUMN_TYPE`) normalised. `tinyint(1)` is a boolean, and
 * `char(36)` a UUID (what the schema builder makes for both). MariaDB's JSON is a `longtext`
 * with a `json_valid()` check, which `jsonColumns` names.
 */
function mysqlType(dataType: string, columnType: string, json: boolean): NormalizedType {
  const data = dataType.toLowerCase()
  const full = columnType.toLowerCase()
  if (json) return 'json'
  if (/^tinyint\(1\)/.test(full) || data === 'boolean' || /^bit\(1\)/.test(full)) return 'boolean'
  if (/^char\(36\)/.test(full)) return 'uuid'
  return TYPES[data] ?? 'other'
}

/** The catalog of MySQL and MariaDB: `information_schema`, in the current database. */
export const mysqlCatalog: Catalog = {
  async tables(query) {
    const rows = await query(
      "select table_name as name from information_schema.tables where table_schema = database() and table_type = 'BASE TABLE' order by table_name",
    )
    return rows.map((r) => ({ name: String(r.name ?? r.NAME) }))
  },

  async views(query) {
    const rows = await query("select table_name as name from information_schema.views where table_schema = database() order by table_name")
    return rows.map((r) => String(r.name ?? r.NAME))
  },

  async types() {
    return []
  },

  async columns(query, table) {
    const [rows, checks] = await Promise.all([
      query(
        `select column_name as name, data_type as data_type, column_type as column_type, is_nullable as is_nullable,
           column_default as default_value, column_key as column_key, extra as extra
         from information_schema.columns where table_schema = database() and table_name = ?
         order by ordinal_position`,
        [table],
      ),
      // MariaDB only; MySQL has the view too (8.0.16+), where JSON columns report their own type.
      query(
        'select check_clause as clause from information_schema.check_constraints where constraint_schema = database() and table_name = ?',
        [table],
      ).catch(() => []),
    ])
    const json = new Set(checks.map((c) => /^json_valid\(`?([^`)]+)`?\)$/i.exec(String(c.clause).trim())?.[1]).filter(Boolean))
    return rows.map((r): ColumnInfo => {
      const databaseType = String(r.column_type)
      const name = String(r.name)
      const type = mysqlType(String(r.data_type), databaseType, json.has(name))
      // MariaDB writes a nullable column without a default as the text NULL.
      const raw = r.default_value === null || r.default_value === undefined ? null : String(r.default_value)
      return {
        name,
        type,
        databaseType,
        nullable: r.is_nullable === 'YES',
        default: raw === 'NULL' ? null : raw,
        primary: r.column_key === 'PRI',
        autoIncrement: /auto_increment/i.test(String(r.extra ?? '')),
        ...sizeOf(type, databaseType),
      }
    })
  },

  async indexes(query, table) {
    const rows = await query(
      `select index_name as name, non_unique as non_unique, column_name as column_name, seq_in_index as position
       from information_schema.statistics where table_schema = database() and table_name = ?
       order by index_name, seq_in_index`,
      [table],
    )
    return sortIndexes(groupBy(rows, (r) => String(r.name)).map((group) => ({
      name: String(group[0]!.name),
      columns: group.map((r) => (r.column_name === null ? '(expression)' : String(r.column_name))),
      unique: Number(group[0]!.non_unique) === 0,
      primary: group[0]!.name === 'PRIMARY',
    })))
  },

  async foreignKeys(query, table) {
    const rows = await query(
      `select k.constraint_name as name, k.column_name as column_name, k.referenced_table_name as foreign_table,
         k.referenced_column_name as foreign_column, r.delete_rule as on_delete, r.update_rule as on_update
       from information_schema.key_column_usage k
       join information_schema.referential_constraints r
         on r.constraint_schema = k.constraint_schema and r.constraint_name = k.constraint_name and r.table_name = k.table_name
       where k.table_schema = database() and k.table_name = ? and k.referenced_table_name is not null
       order by k.constraint_name, k.ordinal_position`,
      [table],
    )
    return groupBy(rows, (r) => String(r.name)).map((group) => {
      const first = group[0]!
      return {
        name: String(first.name),
        columns: group.map((r) => String(r.column_name)),
        foreignTable: String(first.foreign_table),
        foreignColumns: group.map((r) => String(r.foreign_column)),
        onDelete: foreignKeyAction(first.on_delete),
        onUpdate: foreignKeyAction(first.on_update),
      }
    })
  },
}
