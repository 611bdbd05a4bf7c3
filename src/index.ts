// Connecting
export { connect } from './connection/connect.js'
export { Database } from './connection/database.js'
export { Connection, type PoolStats, type ConnectionHealth, type NodeHealth } from './connection/connection.js'
export { Transaction, type TransactionOptions } from './connection/transaction.js'
export type { QueryEvent } from './connection/quarry-client.js'
export type {
  ConnectOptions,
  ConnectionConfig,
  ConnectInput,
  ConfigFile,
  NodeConfig,
  PoolConfig,
  DriverName,
} from './connection/config.js'
export { defaultDatabase } from './connection/default-database.js'
export type { DateStorage, EpochUnit } from './dialects/date-storage.js'
export type {
  Dialect,
  DialectCapabilities,
  NormalizedType,
  ForeignKeyAction,
  TableInfo,
  ColumnInfo,
  IndexInfo,
  ForeignKeyInfo,
  ScriptSyntax,
} from './dialects/dialect.js'

// Models
export { Model } from './model/model.js'
export { table, type TableOptions } from './model/table.js'
export { column, type PropertyDecorator } from './model/column.js'
export type {
  ColumnOptions,
  PrimaryOptions,
  SlugOptions,
  DecimalOptions,
  DateColumnOptions,
  KeyType,
  ColumnSchemaOptions,
  ColumnType,
} from './model/column-definition.js'
export type { Cast } from './model/casts.js'
export { ModelQuery } from './model/model-query.js'
export { Repository } from './model/repository.js'
export type { PruneOptions } from './model/prunable.js'
export type { SerializeOptions } from './model/serialize.js'
export type {
  ColumnName,
  ColumnRef,
  RelationName,
  RelationBrand,
  IsRelation,
  Attributes,
  ModelAttributes,
  ScopeFunction,
  ScopesOf,
  ColumnTypes,
  NumericColumnName,
  GlobalScopesOf,
  GlobalScopeName,
  RelationNames,
} from './model/types.js'
export type { ModelJSON, RelationJSON } from './model/json-types.js'
export { setLifecycleHooks, type LifecycleHooks, type LifecycleStep } from './model/lifecycle.js'
export { registerRelation } from './model/model-metadata.js'
export { uuidv7, isUuid, isUuidV7 } from './model/uuid.js'
export { slug } from './model/slugs.js'

// Relations
export * from './relations/index.js'

// Events and observers
export {
  MODEL_EVENTS,
  type ModelEventName,
  type CancellableEventName,
  type WrittenEventName,
  type ModelEventHandler,
  type ModelObserver,
  type ObserverInput,
} from './events/index.js'

// Queries
export { QueryBuilder, type SelectItem } from './query/query-builder.js'
export type { Page, PageMeta, CursorPage } from './query/paginators.js'
export type { Value, Operator, Direction, QualifiedColumn, QueryTarget, Row } from './query/query-target.js'
export type { ColumnResult, ColumnValue, ComparableTo, Decimal, NumericColumn, WhereConditions } from './query/column-values.js'

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
export { SchemaInspector } from './schema/schema-inspector.js'
export { TableBuilder } from './schema/table-builder.js'
export { ColumnBuilder, ForeignIdColumnBuilder, ForeignKeyBuilder, type ReferentialAction } from './schema/column-builder.js'
export { Seeder, runSeeder, type SeederClass } from './schema/seeder.js'
export { modelSchema, type DesiredColumn, type DesiredForeignKey, type DesiredIndex, type DesiredTable } from './schema/model-schema.js'
export { describeChange, diffSchema, type ActualTable, type DiffOptions, readDatabase, type SchemaChange, type SchemaDiff } from './schema/schema-diff.js'
export { writeMigration } from './schema/migration-writer.js'
export { planSchema } from './schema/schema-plan.js'
export { splitSqlScript, SqlScriptError, type ScriptStatement } from './schema/sql-script.js'
export { defineConfig, type QuarryConfig } from './cli/config.js'

// Factories
export * from './factories/index.js'

// Serving HTTP (the framework integrations are 'quarry/fastify' and 'quarry/express')
export { defineResource } from './http/resource.js'
export type {
  Resource,
  ResourceHelpers,
  ResourceOutput,
  ResourceJson,
  ResourceObject,
  PaginatedResource,
  CursorPaginatedResource,
  PageLinks,
  PageLinkOptions,
  Missing,
  ViewFunction,
} from './http/resource-types.js'

// Errors
export * from './errors/index.js'
export { startStudio, type Studio, type StudioOptions } from './studio/index.js'
