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

// Errors
export * from './errors/index.js'
