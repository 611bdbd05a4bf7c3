import {
  ForeignKeyViolationError,
  NotNullViolationError,
  QuarryError,
  SerializationFailureError,
  UniqueViolationError,
} from '../../errors/index.js'
import { errorField } from '../dialect.js'

const unquote = (name: string) => name.replace(/[`"']/g, '').trim()

/** The driver's own sentence, without the SQL knex puts in front of it. */
function driverMessage(error: unknown): string {
  return errorField(error, 'sqlMessage') ?? errorField(error, 'message') ?? ''
}

/** `Duplicate entry 'a@b.c' for key 'users.users_email_unique'` (MySQL 8 prefixes the table). */
function uniqueDetails(message: string) {
  const key = /for key '([^']+)'/.exec(message)?.[1]
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
function notNullDetails(message: string) {
  const column = /(?:Column|Field) '([^']+)'/.exec(message)?.[1]
  return column ? { columns: [column] } : {}
}

/** MySQL and MariaDB error numbers, as mysql2 reports them in `errno`. */
export function translateMysqlError(error: unknown): QuarryError | undefined {
  const message = driverMessage(error)
  switch (Number(errorField(error, 'errno'))) {
    case 1062: // ER_DUP_ENTRY
    case 1586: // ER_DUP_ENTRY_WITH_KEY_NAME
      return new UniqueViolationError(uniqueDetails(message), { cause: error })
    case 1451: // ER_ROW_IS_REFERENCED_2
    case 1452: // ER_NO_REFERENCED_ROW_2
    case 1216:
    case 1217:
      return new ForeignKeyViolationError(foreignKeyDetails(message), { cause: error })
    case 1048: // ER_BAD_NULL_ERROR
    case 1364: // ER_NO_DEFAULT_FOR_FIELD
      return new NotNullViolationError(notNullDetails(message), { cause: error })
    case 1213: // ER_LOCK_DEADLOCK
      return new SerializationFailureError('Deadlock found; the transaction was rolled back and may be retried', {
        cause: error,
      })
    default:
      return undefined
  }
}

/** Server gone, connection killed (`KILL`), or the socket closed under a query. */
export function isMysqlConnectionFailure(error: unknown): boolean {
  const errno = Number(errorField(error, 'errno'))
  // 2006 server has gone away, 2013 lost connection, 1927 connection killed (MariaDB), 1053 shutdown
  return [2006, 2013, 1927, 1053].includes(errno) || errorField(error, 'fatal') === 'true'
}
