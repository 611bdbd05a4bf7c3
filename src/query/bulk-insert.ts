import type { Knex } from 'knex'
import type { Connection } from '../connection/connection.js'
import { runRawSql } from '../connection/prepared-query.js'
import { QuarryError } from '../errors/index.js'
import type { Row } from './query-target.js'

/** Statement text stays well under every server's packet limit (MySQL's default is 16 MiB or more). */
const MAX_STATEMENT_BYTES = 4 * 1024 * 1024

/**
 * Inserts `rows` into `table` in as few statements as the database allows: each statement carries
 * at most `dialect.maxBindings` values (and a few MiB of text), all of them bound. Rows with
 * different sets of columns go in separate statements, so a missing column gets its default.
 * Runs in one transaction (a savepoint inside an open one): all rows or none. Resolves to the
 * number of rows inserted.
 *
 * ```ts
 * await bulkInsert(connection, 'events', rows)   // insert into "events" ("a", "b") values (?, ?), (?, ?), …
 * ```
 */
export async function bulkInsert(connection: Connection, table: string, rows: readonly Row[], options: BulkInsertOptions = {}): Promise<number> {
  if (!rows.length) return 0
  const groups = new Map<string, { columns: string[]; rows: Row[] }>()
  for (const row of rows) {
    if (row === null || typeof row !== 'object') throw new QuarryError('insert() expects an array of objects')
    const columns = Object.keys(row).filter((key) => row[key] !== undefined)
    if (!columns.length) throw new QuarryError('insert() was given a row without any column')
    const signature = columns.join('\u0000')
    let group = groups.get(signature)
    if (!group) groups.set(signature, (group = { columns, rows: [] }))
    group.rows.push(row)
  }
  const maxBindings = connection.dialect.maxBindings
  const run = async (): Promise<number> => {
    let inserted = 0
    for (const { columns, rows: groupRows } of groups.values()) {
      const perStatement = Math.max(1, Math.floor(maxBindings / columns.length))
      let start = 0
      while (start < groupRows.length) {
        const end = statementEnd(groupRows, columns, start, perStatement)
        const skip = options.ignoreDuplicates ? connection.dialect.ignoreDuplicates(columns[0]!) : undefined
        await insertSlice(connection.current(), table, columns, groupRows, start, end, skip)
        inserted += end - start
        start = end
      }
    }
    return inserted
  }
  const single = groups.size === 1 && [...groups.values()][0]!.rows.length <= Math.floor(maxBindings / [...groups.values()][0]!.columns.length)
  return single ? run() : connection.transaction(run)
}

export interface BulkInsertOptions {
  /**
   * Rows colliding with existing ones on a unique index are skipped, not an error (the dialect's
   * insert-or-ignore); the count is then of the rows sent, not of those stored.
   */
  ignoreDuplicates?: boolean
}

/** The end of the slice starting at `start`: bounded by bindings and by statement size. */
function statementEnd(rows: readonly Row[], columns: readonly string[], start: number, perStatement: number): number {
  const limit = Math.min(rows.length, start + perStatement)
  let bytes = 0
  for (let i = start; i < limit; i++) {
    const row = rows[i]!
    for (const column of columns) {
      const value = row[column]
      if (typeof value === 'string') bytes += value.length * 3
      else if (value instanceof Uint8Array) bytes += value.byteLength * 2
      else bytes += 8
    }
    if (bytes > MAX_STATEMENT_BYTES && i > start) return i
  }
  return limit
}

async function insertSlice(
  knex: Knex,
  table: string,
  columns: readonly string[],
  rows: readonly Row[],
  start: number,
  end: number,
  skip?: { sql: string; bindings: readonly string[] },
): Promise<void> {
  const width = columns.length
  const tuple = `(${new Array<string>(width).fill('?').join(', ')})`
  const values: unknown[] = new Array((end - start) * width)
  let k = 0
  let plain = true
  for (let i = start; i < end; i++) {
    const row = rows[i]!
    for (let j = 0; j < width; j++) {
      const value = row[columns[j]!]
      if (value === undefined) throw new QuarryError(`insert(): row ${i} has no value for "${columns[j]}"`)
      // knex.raw() values and subqueries are compiled into the SQL by knex's formatter.
      if (typeof value === 'function' || (typeof value === 'object' && value !== null && typeof (value as { toSQL?: unknown }).toSQL === 'function')) plain = false
      values[k++] = value
    }
  }
  // Identifiers go through knex's `??` (quoted by the dialect's rules), values through `?`.
  const header = `insert into ?? (${new Array<string>(width).fill('??').join(', ')}) values `
  const tuples = new Array<string>(end - start).fill(tuple).join(', ')
  // insertOrIgnore(): the dialect's clause that skips rows colliding on a unique index.
  const tail = skip ? ` ${skip.sql}` : ''
  if (!plain) {
    await knex.raw(header + tuples + tail, [table, ...columns, ...values, ...(skip?.bindings ?? [])] as Knex.RawBinding[])
    return
  }
  // Plain values are bound as they are, without knex's formatter walking each placeholder.
  const quoted = knex.raw(header, [table, ...columns]).toSQL().sql
  const quotedTail = skip ? knex.raw(tail, [...skip.bindings]).toSQL().sql : ''
  await runRawSql(knex, quoted + tuples + quotedTail, values)
}
