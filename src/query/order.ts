import type { Knex } from 'knex'

/** One ORDER BY item: a resolved column with its direction, or raw SQL. */
export type OrderItem =
  | { readonly column: string; readonly direction: 'asc' | 'desc' }
  | { readonly raw: string; readonly bindings: readonly unknown[] }

export function applyOrders(builder: Knex.QueryBuilder, orders: readonly OrderItem[]): void {
  for (const order of orders) {
    if ('raw' in order) builder.orderByRaw(order.raw, order.bindings as Knex.RawBinding[])
    else builder.orderBy(order.column, order.direction)
  }
}

/** The column name without its table (`users.created_at` → `created_at`), as result rows key it. */
export function unqualified(column: string): string {
  const dot = column.lastIndexOf('.')
  return dot === -1 ? column : column.slice(dot + 1)
}
