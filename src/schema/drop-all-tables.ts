import type { Connection } from '../connection/connection.js'
import { SchemaBuilder, type StatementSink } from './schema-builder.js'

/**
 * Drops every table of the connection's database but `keep`, in as many passes as foreign keys
 * require (a table still referenced fails and is retried after the ones pointing at it).
 * Resolves to the names dropped. With a sink, collects the statements instead.
 */
export async function dropAllTables(connection: Connection, keep: readonly string[], sink?: StatementSink): Promise<string[]> {
  const rows = await connection.knex.raw(connection.dialect.listTablesSql)
  let remaining = connection.dialect
    .rawRows(rows)
    .map((row) => String(row.name ?? row.NAME ?? row.TABLE_NAME))
    .filter((name) => !keep.includes(name))
    .sort()
  const schema = new SchemaBuilder(connection, sink)
  if (sink) {
    for (const name of remaining) await schema.dropTable(name)
    return remaining
  }
  const dropped: string[] = []
  while (remaining.length) {
    const failed: string[] = []
    let lastError: unknown
    for (const name of remaining) {
      try {
        await schema.dropTable(name)
        dropped.push(name)
      } catch (error) {
        failed.push(name)
        lastError = error
      }
    }
    if (failed.length === remaining.length) throw lastError
    remaining = failed
  }
  return dropped
}
