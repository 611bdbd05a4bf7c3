import type { Knex } from 'knex'
import type { Row } from './query-target.js'

/**
 * Runs `builder` for one column's values: an array, or with `key` (a resolved column) an object
 * keyed by that column's values, a later row winning a repeated key. `read` converts each non-null
 * value as a result holds it (a model's cast: booleans, JSON, dates).
 */
export async function pluckRows(
  builder: Knex.QueryBuilder,
  column: string,
  key: string | undefined,
  read?: (value: unknown) => unknown,
): Promise<unknown[] | Record<string, unknown>> {
  const convert = (value: unknown) => (read && value !== null && value !== undefined ? read(value) : value)
  if (key === undefined) {
    const rows = (await builder.select(column)) as Row[]
    const field = column.slice(column.lastIndexOf('.') + 1)
    return rows.map((row) => convert(row[field]))
  }
  const rows = (await builder.select({ quarry_value: column, quarry_key: key })) as Row[]
  const out: Record<string, unknown> = {}
  for (const row of rows) {
    const name = String(row.quarry_key)
    const value = convert(row.quarry_value)
    if (name === '__proto__') Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true })
    else out[name] = value
  }
  return out
}
