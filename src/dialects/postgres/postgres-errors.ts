import {
  ForeignKeyViolationError,
  NotNullViolationError,
  QuarryError,
  SerializationFailureError,
  UniqueViolationError,
} from '../../errors/index.js'
import { errorField } from '../dialect.js'

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

/** SQLSTATE classes as PostgreSQL (and CockroachDB, on the same wire) report them. */
export function translatePostgresError(error: unknown): QuarryError | undefined {
  switch (errorField(error, 'code')) {
    case '23505':
      return new UniqueViolationError(details(error), { cause: error })
    case '23503':
      return new ForeignKeyViolationError(details(error), { cause: error })
    case '23502':
      return new NotNullViolationError(details(error), { cause: error })
    case '40001':
    case '40P01':
      return new SerializationFailureError(undefined, { cause: error })
    default:
      return undefined
  }
}

/** SQLSTATE class 08 (connection exception) and 57P0x (the server shut the session). */
export function isPostgresConnectionFailure(error: unknown): boolean {
  const code = errorField(error, 'code') ?? ''
  return code.startsWith('08') || /^57P0[123]$/.test(code)
}
