import {
  ForeignKeyViolationError,
  NotNullViolationError,
  QuarryError,
  SerializationFailureError,
  UniqueViolationError,
} from '../../errors/index.js'
import { errorField } from '../dialect.js'
import { byField, classify, driverMessage, type ErrorRule, type FailedStatement } from '../error-table.js'

const unquote = (name: string) => name.replace(/[`"']/g, '').trim()

/**
 * `Duplicate entry 'a@b.c' for key 'users.users_email_unique'`: MySQL 8 prefixes the table,
 * MariaDB names the index alone (its table and columns are looked up: see MysqlIndexNames).
 */
function uniqueDetails(message: string) {
  const key = /for key '([^']+)'\s*$/.exec(message)?.[1] ?? /for key '([^']+)'/.exec(message)?.[1]
  if (!key) return {}
  const dot = key.indexOf('.')
  return dot > 0 ? { table: key.slice(0, dot), constraint: key.slice(dot + 1) } : { constraint: key }
}

/** `… fails (`db`.`posts`, CONSTRAINT `fk` FOREIGN KEY (`user_id`) REFERENCES …)` */
function foreignKeyDetails(message: string) {
  const match = /\(`?[^`.]+`?\.`([^`]+)`, CONSTRAINT `([^`]+)` FOREIGN KEY \(([^)]+)\)/.exec(message)
  if (!match) return {}
  return { table: match[1]!, constraint: match[2]!, columns: match[3]!.split(',').map(unquote) }
}

/** `Column 'name' cannot be null` / `Field 'name' doesn't have a default value` */
function notNullDetails(message: string, statement: FailedStatement | undefined) {
  const column = /(?:Column|Field) '([^']+)'/.exec(message)?.[1]
  if (!column) return {}
  const table = statement && writtenTable(statement.sql)
  return table ? { table, columns: [column] } : { columns: [column] }
}

/** The table an INSERT, REPLACE or UPDATE writes to, read from its SQL. */
export function writtenTable(sql: string): string | undefined {
  const match = /^\s*(?:insert(?:\s+ignore)?\s+into|replace\s+into|update(?:\s+ignore)?)\s+((?:`[^`]+`|\w+)(?:\.(?:`[^`]+`|\w+))?)/i.exec(sql)
  if (!match) return undefined
  const parts = match[1]!.split('.').map(unquote)
  return parts[parts.length - 1]
}

const errno = (...codes: number[]) => byField('errno', ...codes)

/**
 * MySQL and MariaDB error numbers, as mysql2 reports them in `errno`; first match wins. Anything
 * else that fails is a `QueryError` of kind 'other'.
 */
export const MYSQL_ERRORS: readonly ErrorRule[] = [
  // ER_DUP_ENTRY, ER_DUP_ENTRY_WITH_KEY_NAME
  { when: errno(1062, 1586), then: (e) => new UniqueViolationError(uniqueDetails(driverMessage(e)), { cause: e }) },
  // ER_ROW_IS_REFERENCED(_2), ER_NO_REFERENCED_ROW(_2)
  { when: errno(1451, 1452, 1216, 1217), then: (e) => new ForeignKeyViolationError(foreignKeyDetails(driverMessage(e)), { cause: e }) },
  // ER_BAD_NULL_ERROR, ER_NO_DEFAULT_FOR_FIELD
  { when: errno(1048, 1364), then: (e, s) => new NotNullViolationError(notNullDetails(driverMessage(e), s), { cause: e }) },
  {
    when: errno(1213), // ER_LOCK_DEADLOCK
    then: (e) => new SerializationFailureError('Deadlock found; the transaction was rolled back and may be retried', { cause: e }),
  },
  // MariaDB ER_CONSTRAINT_FAILED, MySQL ER_CHECK_CONSTRAINT_VIOLATED
  { when: errno(4025, 3819), then: 'check-violation' },
  { when: errno(1064, 1149), then: 'syntax' }, // ER_PARSE_ERROR, ER_SYNTAX_ERROR
  { when: errno(1146, 1051, 1109), then: 'unknown-table' }, // ER_NO_SUCH_TABLE, ER_BAD_TABLE_ERROR, ER_UNKNOWN_TABLE
  { when: errno(1054), then: 'unknown-column' }, // ER_BAD_FIELD_ERROR
  { when: errno(1052), then: 'ambiguous-column' }, // ER_NON_UNIQ_ERROR
  { when: errno(1044, 1142, 1143, 1227), then: 'permission' },
  // Truncated or wrong values, too long, out of range, bad charset, invalid JSON
  { when: errno(1264, 1265, 1292, 1366, 1367, 1406, 1411, 1690, 3140, 4038), then: 'invalid-value' },
]

/** The driver's error as Quarry's: a constraint error of §7, else a `QueryError`. */
export function translateMysqlError(error: unknown, statement?: FailedStatement): QuarryError {
  return classify(MYSQL_ERRORS, error, statement)
}

/** Server gone, connection killed (`KILL`), or the socket closed under a query. */
export function isMysqlConnectionFailure(error: unknown): boolean {
  const errno = Number(errorField(error, 'errno'))
  // 2006 server has gone away, 2013 lost connection, 1927 connection killed (MariaDB), 1053 shutdown
  return [2006, 2013, 1927, 1053].includes(errno) || errorField(error, 'fatal') === 'true'
}
