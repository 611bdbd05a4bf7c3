import type { Knex } from 'knex'
import type { Connection } from '../connection/connection.js'

/** One sort key of a keyset: a resolved column and its direction. */
export interface KeysetColumn {
  readonly column: string
  readonly direction: 'asc' | 'desc'
  /** The column can never be NULL (a primary key): its condition stays index-friendly. */
  readonly notNull?: boolean
}

const nullsFirst = new WeakMap<Connection, Promise<boolean>>()

/**
 * Whether the database sorts NULL before other values in ascending order. Asked once per
 * connection with a query rather than known by dialect name, so keyset conditions stay correct
 * with nullable sort columns everywhere.
 */
export function nullsSortFirst(connection: Connection): Promise<boolean> {
  let known = nullsFirst.get(connection)
  if (!known) {
    known = connection
      .raw('select v from (select null as v union all select 1 as v) nulls_probe order by v asc')
      .then((rows) => {
        const first = rows[0] as Record<string, unknown> | undefined
        return first?.v === null || first?.v === undefined
      })
    known.catch(() => nullsFirst.delete(connection))
    nullsFirst.set(connection, known)
  }
  return known
}

/**
 * Adds the condition "strictly after `values` in this ordering" to `builder`:
 * `(a > ?) or (a = ? and b > ?) or (a = ? and b = ? and id > ?)`, with `>` turned to `<` for
 * descending keys and NULLs placed where the database sorts them. The last key must be unique
 * (the primary key) for the order to be total.
 */
export function whereAfter(
  builder: Knex.QueryBuilder,
  keys: readonly KeysetColumn[],
  values: readonly unknown[],
  nullsFirstAsc: boolean,
): void {
  const branches: Array<(q: Knex.QueryBuilder) => void> = []
  for (let i = 0; i < keys.length; i++) {
    const after = strictlyAfter(keys[i]!, values[i], nullsFirstAsc)
    if (!after) continue
    branches.push((q) => {
      for (let j = 0; j < i; j++) {
        const value = values[j]
        if (value === null || value === undefined) q.whereNull(keys[j]!.column)
        else q.where(keys[j]!.column, value as Knex.Value)
      }
      q.where(after)
    })
  }
  if (!branches.length) {
    builder.whereRaw('1 = 0')
    return
  }
  builder.where((outer) => {
    for (const branch of branches) outer.orWhere((q) => branch(q))
  })
}

function strictlyAfter(
  key: KeysetColumn,
  value: unknown,
  nullsFirstAsc: boolean,
): ((q: Knex.QueryBuilder) => void) | undefined {
  const nullsComeFirst = (key.direction === 'asc') === nullsFirstAsc
  if (value === null || value === undefined) {
    // After a NULL come the non-null values only when NULLs sort first.
    return nullsComeFirst ? (q) => void q.whereNotNull(key.column) : undefined
  }
  const operator = key.direction === 'asc' ? '>' : '<'
  if (nullsComeFirst || key.notNull) return (q) => void q.where(key.column, operator, value as Knex.Value)
  return (q) => void q.where(key.column, operator, value as Knex.Value).orWhereNull(key.column)
}

/** The same keys in the opposite order, for walking backwards. */
export function reversed(keys: readonly KeysetColumn[]): KeysetColumn[] {
  return keys.map((key) => ({ ...key, direction: key.direction === 'asc' ? 'desc' : 'asc' }))
}
