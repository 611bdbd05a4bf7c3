import {
  ForeignKeyViolationError,
  NotNullViolationError,
  QuarryError,
  UniqueViolationError,
} from '../../errors/index.js'
import { errorField } from '../dialect.js'
import { classify, type ErrorRule, type FailedStatement } from '../error-table.js'

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

const constraint = (kind: string) => (error: unknown) => extendedCode(error) === kind
const message = (pattern: RegExp) => (error: unknown) => pattern.test(errorField(error, 'message') ?? '')
/** better-sqlite3 names the code (`SQLITE_MISMATCH`); libSQL too, with the number in `rawCode`. */
const code = (name: string, number: number) => (error: unknown) =>
  errorField(error, 'code') === name || Number(errorField(error, 'rawCode')) === number

/**
 * better-sqlite3's and libSQL's errors, first match wins: constraint kinds by extended result
 * code, the rest by SQLite's own sentences. SQLite names no foreign key. Anything else that fails
 * is a `QueryError` of kind 'other'.
 */
export const SQLITE_ERRORS: readonly ErrorRule[] = [
  {
    when: (e) => ['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY'].includes(extendedCode(e)),
    then: (e) => new UniqueViolationError(failedColumns(e), { cause: e }),
  },
  { when: constraint('SQLITE_CONSTRAINT_FOREIGNKEY'), then: (e) => new ForeignKeyViolationError({}, { cause: e }) },
  // ON DELETE RESTRICT fails as a trigger would, with the foreign key's message.
  {
    when: (e) => extendedCode(e) === 'SQLITE_CONSTRAINT_TRIGGER' && /FOREIGN KEY constraint failed/.test(errorField(e, 'message') ?? ''),
    then: (e) => new ForeignKeyViolationError({}, { cause: e }),
  },
  { when: constraint('SQLITE_CONSTRAINT_NOTNULL'), then: (e) => new NotNullViolationError(failedColumns(e), { cause: e }) },
  { when: message(/CHECK constraint failed/), then: 'check-violation' },
  { when: message(/syntax error|incomplete input|unrecognized token/), then: 'syntax' },
  { when: message(/no such table|no such view/), then: 'unknown-table' },
  { when: message(/no such column|has no column named/), then: 'unknown-column' },
  { when: message(/ambiguous column name/), then: 'ambiguous-column' },
  { when: code('SQLITE_MISMATCH', 20), then: 'invalid-value' },
  { when: code('SQLITE_TOOBIG', 18), then: 'invalid-value' },
  { when: message(/malformed JSON|JSON cannot hold BLOB/), then: 'invalid-value' },
  { when: code('SQLITE_READONLY', 8), then: 'permission' },
  { when: code('SQLITE_AUTH', 23), then: 'permission' },
]

/** The driver's error as Quarry's: a constraint error of §7, else a `QueryError`. */
export function translateSqliteError(error: unknown, statement?: FailedStatement): QuarryError {
  return classify(SQLITE_ERRORS, error, statement)
}
