import { QuarryError } from './quarry-error.js'

/**
 * What kind of failure a `QueryError` is, as each dialect's classification table reads its
 * driver's error codes. `'other'` is every failure the table does not name.
 */
export type QueryFailureKind =
  | 'syntax'
  | 'unknown-table'
  | 'unknown-column'
  | 'ambiguous-column'
  | 'invalid-value'
  | 'check-violation'
  | 'permission'
  | 'other'

/**
 * A statement the database refused for a reason other than a constraint of §7: a missing table,
 * a syntax error in raw SQL, a value the column cannot hold. `sql` is the statement with its
 * placeholders (never the bound values), `cause` the driver's own error.
 *
 * ```ts
 * try { await db.raw('select * from missing') } catch (e) {
 *   if (e instanceof QueryError && e.kind === 'unknown-table') { ... }
 * }
 * ```
 */
export class QueryError extends QuarryError {
  override readonly code = 'E_QUERY'

  constructor(
    readonly kind: QueryFailureKind,
    /** The database's own explanation, with any bound value it echoed replaced by `?`. */
    readonly detail: string,
    readonly sql: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(sql ? `${detail} (in: ${sql})` : detail, options)
  }
}
