import type { Knex } from 'knex'

type Row = Record<string, unknown>

/** What an insert read back: the row's values for the columns asked, and whether it could. */
export interface InsertedRow {
  /** The values the database stored, by column (the auto-increment key at least, when asked). */
  row: Row
  /** Every column asked for was read back; when false, only the key is known. */
  readBack: boolean
}

/**
 * `INSERT … RETURNING columns` through knex, for the databases whose knex client speaks it
 * (PostgreSQL, CockroachDB, SQLite ≥ 3.35, libSQL): one statement, one round trip.
 */
export async function insertReturning(knex: Knex, table: string, row: Row, columns: readonly string[]): Promise<InsertedRow> {
  if (!columns.length) {
    await knex(table).insert(row)
    return { row: {}, readBack: true }
  }
  const [returned] = (await knex(table).insert(row).returning(columns as string[])) as Row[]
  return { row: returned ?? {}, readBack: true }
}

/** A plain INSERT; the auto-increment `key`, when asked, from the driver's insert id. */
export async function insertWithoutReturning(knex: Knex, table: string, row: Row, key: string | undefined): Promise<InsertedRow> {
  const [id] = (await knex(table).insert(row)) as unknown[]
  return { row: key === undefined ? {} : { [key]: id }, readBack: false }
}
