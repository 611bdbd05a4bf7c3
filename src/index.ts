// Connecting
export { connect } from './connection/connect.js'
export { Database } from './connection/database.js'
export { Connection, type PoolStats, type ConnectionHealth, type NodeHealth } from './connection/connection.js'
export { Transaction, type TransactionOptions } from './connection/transaction.js'
export type { QueryEvent } from './connection/quarry-client.js'
export type {
  ConnectOptions,
  ConnectionConfig,
  NodeConfig,
  PoolConfig,
  DriverName,
} from './connection/config.js'
export { defaultDatabase } from './connection/default-database.js'
export type { Dialect, DialectCapabilities } from './dialects/dialect.js'

// Schema and migrations
export { Migration, type MigrationClass, type MigrationContext } from './schema/migration.js'
export {
  Migrator,
  type MigratorOptions,
  type MigrationRun,
  type MigrationStatus,
  type MigrationProgress,
} from './schema/migrator.js'
export type { RanMigration } from './schema/migration-runner.js'
export { SchemaBuilder, type Statement } from './schema/schema-builder.js'
export { TableBuilder } from './schema/table-builder.js'
export { ColumnBuilder, ForeignIdColumnBuilder, ForeignKeyBuilder, type ReferentialAction } from './schema/column-builder.js'

// Errors
export * from './errors/index.js'
