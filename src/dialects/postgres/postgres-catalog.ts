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
  bpchar: 'string',
  char: 'string',
  text: 'text',
  citext: 'text',
  int2: 'integer',
  int4: 'integer',
  int8: 'bigInteger',
  float4: 'float',
  float8: 'double',
  numeric: 'decimal',
  bool: 'boolean',
  date: 'date',
  timestamp: 'dateTime',
  timestamptz: 'dateTime',
  time: 'time',
  timetz: 'time',
  json: 'json',
  jsonb: 'json',
  uuid: 'uuid',
  bytea: 'binary',
}

/** `pg_constraint`'s one-letter referential actions. */
const ACTIONS: Record<string, string> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' }

/** The table `?` in the current schema. */
const TABLE = "(select c.oid from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace where c.relname = ? and n.nspname = current_schema() and c.relkind in ('r', 'p'))"

/** The catalog of PostgreSQL (and CockroachDB): `pg_catalog`, in the current schema. */
export const postgresCatalog: Catalog = {
  async tables(query) {
    const rows = await query('select tablename as name from pg_catalog.pg_tables where schemaname = current_schema() order by tablename')
    return rows.map((r) => ({ name: String(r.name) }))
  },

  async views(query) {
    const rows = await query(
      "select c.relname as name from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace where n.nspname = current_schema() and c.relkind in ('v', 'm') order by c.relname",
    )
    return rows.map((r) => String(r.name))
  },

  async types(query) {
    // Enums, domains and composite types of their own (not the row types tables and views carry).
    const rows = await query(
      `select t.typname as name from pg_catalog.pg_type t join pg_catalog.pg_namespace n on n.oid = t.typnamespace
       where n.nspname = current_schema() and (t.typtype in ('e', 'd')
         or (t.typtype = 'c' and (select c.relkind from pg_catalog.pg_class c where c.oid = t.typrelid) = 'c'))
       order by t.typname`,
    )
    return rows.map((r) => String(r.name))
  },

  dropTypeSql: 'drop type if exists ?? cascade',

  async columns(query, table) {
    const rows = await query(
      `select a.attname as name, pg_catalog.format_type(a.atttypid, a.atttypmod) as database_type, t.typname as type_name,
         t.typtype as type_kind, a.attnotnull as not_null, pg_catalog.pg_get_expr(d.adbin, d.adrelid) as default_value,
         a.attidentity as identity,
         exists (select 1 from pg_catalog.pg_index i where i.indrelid = a.attrelid and i.indisprimary and a.attnum = any (i.indkey)) as is_primary
       from pg_catalog.pg_attribute a
       join pg_catalog.pg_type t on t.oid = a.atttypid
       left join pg_catalog.pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
       where a.attrelid = ${TABLE} and a.attnum > 0 and not a.attisdropped
       order by a.attnum`,
      [table],
    )
    return rows.map((r): ColumnInfo => {
      const databaseType = String(r.database_type)
      const type = r.type_kind === 'e' ? 'enum' : (TYPES[String(r.type_name)] ?? 'other')
      const fallback = r.default_value === null || r.default_value === undefined ? null : String(r.default_value)
      const identity = typeof r.identity === 'string' && r.identity !== ''
      return {
        name: String(r.name),
        type,
        databaseType,
        nullable: !r.not_null,
        default: fallback,
        primary: Boolean(r.is_primary),
        autoIncrement: identity || (fallback !== null && /^nextval\(/i.test(fallback)) || /unique_rowid\(\)/i.test(fallback ?? ''),
        ...sizeOf(type, databaseType),
      }
    })
  },

  async indexes(query, table) {
    const rows = await query(
      `select ic.relname as name, i.indisunique as is_unique, i.indisprimary as is_primary, k.n as position,
         pg_catalog.pg_get_indexdef(i.indexrelid, k.n::int, true) as column_name
       from pg_catalog.pg_index i
       join pg_catalog.pg_class ic on ic.oid = i.indexrelid
       cross join lateral generate_series(1, i.indnkeyatts) as k(n)
       where i.indrelid = ${TABLE}
       order by ic.relname, k.n`,
      [table],
    )
    return sortIndexes(groupBy(rows, (r) => String(r.name)).map((group) => ({
      name: String(group[0]!.name),
      columns: group.map((r) => String(r.column_name).replace(/^"(.*)"$/, '$1')),
      unique: Boolean(group[0]!.is_unique),
      primary: Boolean(group[0]!.is_primary),
    })))
  },

  async foreignKeys(query, table) {
    const rows = await query(
      `select c.conname as name, ft.relname as foreign_table, a.attname as column_name, fa.attname as foreign_column,
         c.confdeltype as on_delete, c.confupdtype as on_update, k.n as position
       from pg_catalog.pg_constraint c
       join pg_catalog.pg_class ft on ft.oid = c.confrelid
       cross join lateral generate_series(1, array_length(c.conkey, 1)) as k(n)
       join pg_catalog.pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[k.n]
       join pg_catalog.pg_attribute fa on fa.attrelid = c.confrelid and fa.attnum = c.confkey[k.n]
       where c.contype = 'f' and c.conrelid = ${TABLE}
       order by c.conname, k.n`,
      [table],
    )
    return groupBy(rows, (r) => String(r.name)).map((group) => {
      const first = group[0]!
      return {
        name: String(first.name),
        columns: group.map((r) => String(r.column_name)),
        foreignTable: String(first.foreign_table),
        foreignColumns: group.map((r) => String(r.foreign_column)),
        onDelete: foreignKeyAction(ACTIONS[String(first.on_delete)]),
        onUpdate: foreignKeyAction(ACTIONS[String(first.on_update)]),
      }
    })
  },
}
