import {
  ForeignKeyViolationError,
  NotNullViolationError,
  QuarryError,
  SerializationFailureError,
  UniqueViolationError,
} from '../../errors/index.js'
import { errorField } from '../dialect.js'
import { byField, classify, type ErrorRule, type FailedStatement } from '../error-table.js'

/** `Key (a, b)=(1, 2) already exists.` → `['a', 'b']` */
function keyColumns(detail: string | undefined): string[] | undefined {
  const match = detail && /Key \(([^)]*)\)=/.exec(detail)
  return match ? match[1]!.split(',').map((c) => c.trim().replace(/^"|"$/g, '')) : undefined
}

function details(error: unknown) {
  const out: { table?: string; columns?: string[]; constraint?: string } = {}
  const table = errorField(error, 'table')
  const constraint = errorField(error, 'constraint')
  const column = errorField(error, 'column')
  const columns = column ? [column] : keyColumns(errorField(error, 'detail'))
  if (table) out.table = table
  if (constraint) out.constraint = constraint
  if (columns) out.columns = columns
  return out
}

/** SQLSTATE classes: the whole class `22` (data exception) is a value the column cannot hold. */
const sqlstateClass = (prefix: string) => (error: unknown) => errorField(error, 'code')?.startsWith(prefix) ?? false

/**
 * PostgreSQL's (and CockroachDB's, on the same wire) SQLSTATEs, first match wins. Anything else
 * that fails is a `QueryError` of kind 'other'.
 */
export const POSTGRES_ERRORS: readonly ErrorRule[] = [
  { when: byField('code', '23505'), then: (e) => new UniqueViolationError(details(e), { cause: e }) },
  { when: byField('code', '23503'), then: (e) => new ForeignKeyViolationError(details(e), { cause: e }) },
  { when: byField('code', '23502'), then: (e) => new NotNullViolationError(details(e), { cause: e }) },
  { when: byField('code', '40001', '40P01'), then: (e) => new SerializationFailureError(undefined, { cause: e }) },
  { when: byField('code', '23514'), then: 'check-violation' },
  { when: byField('code', '42601'), then: 'syntax' },
  { when: byField('code', '42P01'), then: 'unknown-table' },
  { when: byField('code', '42703'), then: 'unknown-column' },
  { when: byField('code', '42702'), then: 'ambiguous-column' },
  { when: byField('code', '42501'), then: 'permission' },
  // 42804 datatype mismatch, 42883 no operator/function for those types (a string bound to a number).
  { when: byField('code', '42804', '42883'), then: 'invalid-value' },
  { when: sqlstateClass('22'), then: 'invalid-value' },
]

/** The driver's error as Quarry's: a constraint error of §7, else a `QueryError`. */
export function translatePostgresError(error: unknown, statement?: FailedStatement): QuarryError {
  return classify(POSTGRES_ERRORS, error, statement)
}

/** SQLSTATE class 08 (connection exception) and 57P0x (the server shut the session). */
export function isPostgresConnectionFailure(error: unknown): boolean {
  const code = errorField(error, 'code') ?? ''
  return code.startsWith('08') || /^57P0[123]$/.test(code)
}
