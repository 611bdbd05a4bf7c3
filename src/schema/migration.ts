import type { Connection } from '../connection/connection.js'
import type { Database } from '../connection/database.js'
import { QuarryError } from '../errors/index.js'
import type { SchemaBuilder } from './schema-builder.js'

/** What the migrator hands a migration before running it. */
export interface MigrationContext {
  readonly db: Database
  readonly connection: Connection
  readonly schema: SchemaBuilder
  readonly dryRun: boolean
}

// A registered symbol: a migration file may import another copy of Quarry (src vs dist) and must
// still find what this copy's migrator gave it.
const CONTEXT = Symbol.for('quarry.migration.context')

/**
 * The base of a migration: `up()` makes the change, `down()` undoes it. Inside, `this.schema`
 * builds tables and `this.db` queries, both joining the migration's transaction.
 *
 * ```ts
 * export default class extends Migration {
 *   async up() {
 *     await this.schema.createTable('teams', (t) => {
 *       t.id()
 *       t.string('name')
 *       t.timestamps()
 *     })
 *   }
 *   async down() {
 *     await this.schema.dropTable('teams')
 *   }
 * }
 * ```
 */
export abstract class Migration {
  /**
   * Set to `false` for statements a transaction refuses (PostgreSQL's `create index
   * concurrently`): the migration then runs outside one even where DDL is transactional.
   */
  withinTransaction = true

  abstract up(): Promise<void> | void

  // `down()` is not declared here, so that subclasses need no `override` keyword under
  // noImplicitOverride: a migration without one cannot be rolled back.

  /** Creates, changes and drops tables (compiled, not sent, in a dry run). */
  get schema(): SchemaBuilder {
    return this.context().schema
  }

  /** The database the migration runs against, for data changes: `this.db.table('users').update(…)`. */
  get db(): Database {
    return this.context().db
  }

  /** The connection the migration runs on. */
  get connection(): Connection {
    return this.context().connection
  }

  /** True in `migrate --dry-run`: skip data changes that would otherwise really run. */
  get dryRun(): boolean {
    return this.context().dryRun
  }

  private context(): MigrationContext {
    const context = (this as unknown as Record<symbol, MigrationContext | undefined>)[CONTEXT]
    if (!context) {
      throw new QuarryError(`${this.constructor.name || 'This migration'} is not being run by a Migrator; use new Migrator(db, …).latest()`)
    }
    return context
  }
}

/** A migration instance, with the `down()` it may have. */
export type MigrationInstance = Migration & { down?(): Promise<void> | void }

/** A class whose instances are migrations. */
export type MigrationClass = new () => MigrationInstance

/** Gives a migration instance its database, connection and schema builder. */
export function bindMigration(migration: MigrationInstance, context: MigrationContext): void {
  Object.defineProperty(migration, CONTEXT, { value: context, configurable: true })
}

/** A default export that can be a migration: a class with an `up` method. */
export function isMigrationClass(value: unknown): value is MigrationClass {
  return typeof value === 'function' && typeof (value as { prototype?: { up?: unknown } }).prototype?.up === 'function'
}
