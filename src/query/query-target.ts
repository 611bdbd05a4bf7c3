import type { Knex } from 'knex'
import type { Connection } from '../connection/connection.js'

/** A row as the driver returns it, keyed by column name. */
export type Row = Record<string, unknown>

/** A value that can be bound into a statement. */
export type Value = string | number | bigint | boolean | Date | Buffer | Uint8Array | null

/** The comparison operators `where` and `having` accept (any case). */
export type Operator =
  | '='
  | '<'
  | '>'
  | '<='
  | '>='
  | '<>'
  | '!='
  | 'like'
  | 'not like'
  | 'ilike'
  | 'not ilike'
  | 'LIKE'
  | 'NOT LIKE'
  | 'ILIKE'
  | 'NOT ILIKE'

/** `asc` or `desc`, in any case. */
export type Direction = 'asc' | 'desc' | 'ASC' | 'DESC'

/** A column written as `table.column`: the table may be the query's own or a joined one. */
export type QualifiedColumn = `${string}.${string}`

/**
 * What a query runs over: a table on a connection, how names are resolved and how rows become
 * results. The model layer supplies one per model; the query builder knows nothing else of models.
 */
export interface QueryTarget<T> {
  /** Named in errors: the model's name, or the table's. */
  readonly name: string
  readonly table: string
  /** Primary key column names, used to break ties in keyset pagination. */
  readonly primaryKey: readonly string[]
  /** The connection to run on now. */
  connection(): Connection
  /**
   * The column a name refers to, as SQL should name it (`emailAddress` → `email_address`,
   * `posts.authorId` → `posts.author_id`). Throws `UnknownColumnError` for an unknown name.
   */
  resolveColumn(name: string): string
  /** Turns fetched rows into results. `extras` is true when the select list was customised. */
  hydrate(rows: Row[], extras: boolean): T[] | Promise<T[]>
  /** The value of `column` in a result, as it should be bound (for keyset pagination). */
  valueOf(item: T, column: string): unknown
  /** A `Date` compared with `column` (as resolved), as it should be bound; the `Date` itself when absent. */
  bindDate?(column: string, date: Date): unknown
  /**
   * How a value of `column` (as resolved) read on its own, as `pluck()` reads it, becomes what a
   * result holds (the model's cast); undefined when it is used as the driver returns it.
   */
  reader?(column: string): ((value: unknown) => unknown) | undefined
}

/** The knex builder a query compiles into. */
export type KnexBuilder = Knex.QueryBuilder
