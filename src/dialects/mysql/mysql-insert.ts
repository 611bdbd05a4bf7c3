import type { Knex } from 'knex'
import { type InsertedRow, insertWithoutReturning } from '../insert-returning.js'

type Row = Record<string, unknown>

/** MariaDB ≥ 10.5 has `INSERT … RETURNING`; MySQL (any version) and older MariaDB do not. */
export function returnsFromInsert(version: string): boolean {
  const match = /^(\d+)\.(\d+)\.\d+.*mariadb/i.exec(version)
  if (!match) return false
  const [major, minor] = [Number(match[1]), Number(match[2])]
  return major > 10 || (major === 10 && minor >= 5)
}

/**
 * Inserts for MySQL and MariaDB. knex's mysql2 client has no `returning()`, so on a server that
 * has `INSERT … RETURNING` the statement knex compiles gets the clause appended; the server's
 * version is read once per connection, the first time a default has to be read back. When only
 * the key is asked, the driver's insert id is enough and nothing extra is sent.
 */
export class MysqlInserter {
  private returning: Promise<boolean> | undefined

  constructor(private readonly rowsOf: (result: unknown) => Row[]) {}

  async insertRow(knex: Knex, table: string, row: Row, columns: readonly string[], key: string | undefined): Promise<InsertedRow> {
    const wanted = columns.some((column) => column !== key)
    if (!wanted || !(await this.serverReturns(knex))) return insertWithoutReturning(knex, table, row, key)
    const compiled = knex(table).insert(row).toSQL()
    const list = columns.map(() => '??').join(', ')
    const result = await knex.raw(`${compiled.sql} returning ${list}`, [...compiled.bindings, ...columns] as Knex.RawBinding[])
    return { row: this.rowsOf(result)[0] ?? {}, readBack: true }
  }

  private serverReturns(knex: Knex): Promise<boolean> {
    this.returning ??= knex.raw('select version() as version').then(
      (result) => returnsFromInsert(String(this.rowsOf(result)[0]?.version ?? '')),
      (error: unknown) => {
        this.returning = undefined
        throw error
      },
    )
    return this.returning
  }
}
