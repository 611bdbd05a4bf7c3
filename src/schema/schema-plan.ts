import type { Connection } from '../connection/connection.js'
import type { Model } from '../model/model.js'
import { modelSchema } from './model-schema.js'
import { diffSchema, type DiffOptions, readDatabase, type SchemaDiff } from './schema-diff.js'
import { SchemaInspector } from './schema-inspector.js'

/** Quarry's own tables: never compared with the models. */
export const QUARRY_TABLES = ['quarry_migrations', 'quarry_migrations_lock']

/**
 * What it takes to bring the database of `connection` to what `models` declare: the changes
 * (drops only with `allowDrop`, renames only as `renames` says) and the drops left out.
 *
 * ```ts
 * const { changes, warnings } = await planSchema(db.connection(), [User, Post])
 * ```
 */
export async function planSchema(connection: Connection, models: ReadonlyArray<abstract new () => Model>, options: DiffOptions = {}): Promise<SchemaDiff> {
  const desired = modelSchema(models)
  const actual = await readDatabase(new SchemaInspector(connection), [...QUARRY_TABLES, ...(options.ignore ?? [])])
  return diffSchema(desired, actual, connection.dialect.supports, options)
}
