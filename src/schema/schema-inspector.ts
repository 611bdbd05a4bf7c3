import type { Connection } from '../connection/connection.js'
import type { CatalogQuery, ColumnInfo, ForeignKeyInfo, IndexInfo, TableInfo } from '../dialects/dialect.js'
import { QuarryError } from '../errors/index.js'

/**
 * `db.schema`: what the database holds, read from its own catalog, in the same shapes on every
 * dialect (normalised type names, defaults as the database reports them). The migration
 * generator and `quarry model:show` read the database through it.
 *
 * ```ts
 * await db.schema.getTables()              // [{ name: 'users' }, …]
 * await db.schema.getColumns('users')      // [{ name: 'id', type: 'bigInteger', nullable: false, … }]
 * await db.schema.getIndexes('users')      // [{ name: 'users_email_unique', columns: ['email'], unique: true, primary: false }]
 * await db.schema.getForeignKeys('posts')  // [{ name, columns, foreignTable, foreignColumns, onDelete, onUpdate }]
 * ```
 */
export class SchemaInspector {
  private readonly query: CatalogQuery

  constructor(readonly connection: Connection) {
    this.query = (sql, bindings = []) => connection.raw(sql, bindings)
  }

  /** The base tables of the database (not views), by name. */
  async getTables(): Promise<TableInfo[]> {
    return (await this.connection.dialect.catalog.tables(this.query)).sort((a, b) => byName(a.name, b.name))
  }

  /** Whether `table` is a base table of the database. */
  async hasTable(table: string): Promise<boolean> {
    checkName(table, 'hasTable')
    return (await this.getTables()).some((t) => t.name === table)
  }

  /** The views of the database, by name. */
  async getViews(): Promise<string[]> {
    return (await this.connection.dialect.catalog.views(this.query)).sort(byName)
  }

  /** Types of the database's own that outlive its tables (PostgreSQL enums, domains, composites); none elsewhere. */
  async getTypes(): Promise<string[]> {
    return (await this.connection.dialect.catalog.types(this.query)).sort(byName)
  }

  /** The columns of `table`, in table order; a `QuarryError` when there is no such table. */
  async getColumns(table: string): Promise<ColumnInfo[]> {
    checkName(table, 'getColumns')
    const columns = await this.connection.dialect.catalog.columns(this.query, table)
    if (!columns.length) await this.requireTable(table, 'getColumns')
    return columns
  }

  /** The indexes of `table` (the primary key first, as an index with `primary: true`). */
  async getIndexes(table: string): Promise<IndexInfo[]> {
    checkName(table, 'getIndexes')
    const indexes = await this.connection.dialect.catalog.indexes(this.query, table)
    if (!indexes.length) await this.requireTable(table, 'getIndexes')
    return indexes
  }

  /** The foreign keys of `table`, by name. */
  async getForeignKeys(table: string): Promise<ForeignKeyInfo[]> {
    checkName(table, 'getForeignKeys')
    const keys = await this.connection.dialect.catalog.foreignKeys(this.query, table)
    if (!keys.length) await this.requireTable(table, 'getForeignKeys')
    return keys
  }

  private async requireTable(table: string, method: string): Promise<void> {
    const tables = (await this.getTables()).map((t) => t.name)
    if (tables.includes(table)) return
    const known = tables.length ? `its tables are: ${tables.join(', ')}` : 'it has no tables'
    throw new QuarryError(`db.schema.${method}(): no table "${table}" in the database of connection "${this.connection.name}"; ${known}`)
  }
}

function checkName(table: unknown, method: string): void {
  if (typeof table !== 'string' || table === '') {
    throw new QuarryError(`db.schema.${method}() takes a table name, got ${table === '' ? 'an empty string' : typeof table}`)
  }
}

/** Code-unit order, the same whatever the database's collation. */
function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
