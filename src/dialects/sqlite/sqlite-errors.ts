import {
  ForeignKeyViolationError,
  NotNullViolationError,
  QuarryError,
  UniqueViolationError,
} from '../../errors/index.js'
import { errorField } from '../dialect.js'

// Extended result codes (sqlite3.h), which libSQL reports as numbers and better-sqlite3 by name.
const EXTENDED: Record<number, string> = {
  1555: 'SQLITE_CONSTRAINT_PRIMARYKEY',
  2067: 'SQLITE_CONSTRAINT_UNIQUE',
  787: 'SQLITE_CONSTRAINT_FOREIGNKEY',
  1299: 'SQLITE_CONSTRAINT_NOTNULL',
}

function extendedCode(error: unknown): string {
  const named = [errorField(error, 'extendedCode'), errorField(error, 'code')].find((c) =>
    c?.startsWith('SQLITE_CONSTRAINT_'),
  )
  if (named) return named
  const raw = Number(errorField(error, 'rawCode') ?? errorField(error, 'errno'))
  if (EXTENDED[raw]) return EXTENDED[raw]!
  // Older builds only say SQLITE_CONSTRAINT; the message still names the kind.
  const message = errorField(error, 'message') ?? ''
  if (/UNIQUE constraint failed/.test(message)) return 'SQLITE_CONSTRAINT_UNIQUE'
  if (/FOREIGN KEY constraint failed/.test(message)) return 'SQLITE_CONSTRAINT_FOREIGNKEY'
  if (/NOT NULL constraint failed/.test(message)) return 'SQLITE_CONSTRAINT_NOTNULL'
  return ''
}

/** `UNIQUE constraint failed: users.email, users.team_id` → table and columns */
function failedColumns(error: unknown) {
  const list = /constraint failed: ([\w.,\s"]+)/.exec(errorField(error, 'message') ?? '')?.[1]
  if (!list) return {}
  const pairs = list.split(',').map((part) => part.trim().replace(/"/g, '').split('.'))
  const table = pairs[0]?.length === 2 ? pairs[0][0] : undefined
  const columns = pairs.map((p) => p[p.length - 1]!).filter(Boolean)
  return table ? { table, columns } : { columns }
}

/** better-sqlite3's and libSQL's constraint errors. SQLite names no foreign key. */
export function translateSqliteError(error: unknown): QuarryError | undefined {
  switch (extendedCode(error)) {
    case 'SQLITE_CONSTRAINT_UNIQUE':
    case 'SQLITE_CONSTRAINT_PRIMARYKEY':
      return new UniqueViolationError(failedColumns(error), { cause: error })
    case 'SQLITE_CONSTRAINT_FOREIGNKEY':
      return new ForeignKeyViolationError({}, { cause: error })
    // ON DELETE RESTRICT fails as a trigger would, with the foreign key's message.
    case 'SQLITE_CONSTRAINT_TRIGGER':
      return /FOREIGN KEY constraint failed/.test(errorField(error, 'message') ?? '')
        ? new ForeignKeyViolationError({}, { cause: error })
        : undefined
    case 'SQLITE_CONSTRAINT_NOTNULL':
      return new NotNullViolationError(failedColumns(error), { cause: error })
    default:
      return undefined
  }
}
