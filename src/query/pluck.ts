import type { Knex } from 'knex'
import type { Row } from './query-target.js'

/**
 * Runs `builder` for one column's values: an array, or with `key` (a resolved column) an object
 * keyed by that column's values, a later row winning a repeated key.
 */
export async function pluckRows(builder: Knex.QueryBuilder, column: string, key: string | undefined): Promise<unknown[] | Record<string, unknown>> {
  if (key === undefined) {
    const rows = (await builder.select(column)) as Row[]
    const field = column.slice(column.lastIndexOf('.') + 1)
    return rows.map((row) => row[field])
  }
  const rows = (await builder.select({ quarry_value: column, quarry_key: key })) as Row[]
  const out: Record<string, unknown> = {}
  for (const row of rows) {
    const name = String(row.quarry_key)
    if (name === '__proto__') Object.defineProperty(out, name, { value: row.quarry_value, enumerable: true, writable: true, configurable: true })
    else out[name] = row.quarry_value
  }
  return out
}
