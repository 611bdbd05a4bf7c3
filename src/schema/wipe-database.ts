import type { Connection } from '../connection/connection.js'
import { dropAllTables } from './drop-all-tables.js'

/** What `wipeDatabase()` dropped, by kind. */
export interface Wiped {
  views: string[]
  tables: string[]
  types: string[]
}

/**
 * Drops every view, every table (the migration records and lock included) and, on PostgreSQL,
 * every enum, domain and composite type of the connection's database (its current schema), in
 * that order: `quarry db:wipe`.
 */
export async function wipeDatabase(connection: Connection): Promise<Wiped> {
  const views = await connection.schema.getViews()
  // A view may select from another: drop in passes until none is left.
  let remaining = views
  while (remaining.length) {
    const failed: string[] = []
    let lastError: unknown
    for (const view of remaining) {
      try {
        await connection.knex.schema.dropViewIfExists(view)
      } catch (error) {
        failed.push(view)
        lastError = error
      }
    }
    if (failed.length === remaining.length) throw lastError
    remaining = failed
  }
  const tables = await dropAllTables(connection, [])
  const types = await connection.schema.getTypes()
  const dropType = connection.dialect.catalog.dropTypeSql
  if (dropType) for (const type of types) await connection.raw(dropType, [type])
  return { views, tables, types: dropType ? types : [] }
}
