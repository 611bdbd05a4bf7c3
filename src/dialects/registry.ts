import { CockroachDialect } from './cockroachdb/cockroachdb-dialect.js'
import type { Dialect, DriverName } from './dialect.js'
import { LibsqlDialect } from './libsql/libsql-dialect.js'
import { MysqlDialect } from './mysql/mysql-dialect.js'
import { PostgresDialect } from './postgres/postgres-dialect.js'
import { SqliteDialect } from './sqlite/sqlite-dialect.js'

const dialects: Record<DriverName, () => Dialect> = {
  postgres: () => new PostgresDialect(),
  cockroachdb: () => new CockroachDialect(),
  mysql: () => new MysqlDialect(),
  sqlite: () => new SqliteDialect(),
  libsql: () => new LibsqlDialect(),
}

/** The dialect of a driver name (validated by the config layer before it gets here). */
export function dialectFor(driver: DriverName): Dialect {
  return dialects[driver]()
}
