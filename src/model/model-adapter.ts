import type { Knex } from 'knex'
import type { Connection } from '../connection/connection.js'
import { defaultDatabase } from '../connection/default-database.js'
import type { Row } from '../query/query-target.js'
import type { ModelMetadata } from './model-metadata.js'

/**
 * The one way models reach the database. The connection is resolved on every use:
 * `Model.useConnection(name)`, else `@table(…, { connection })`, else the default connection of
 * the default database (the first `connect()`ed). Builders come from `connection.table()`, so
 * they join the transaction open in the current async context.
 */
export class ModelAdapter {
  private static readonly bindings = new WeakMap<object, string | Connection>()

  /** Binds a model class (and its subclasses) to a named connection, or to a connection object. */
  static bind(ctor: object, connection: string | Connection): void {
    ModelAdapter.bindings.set(ctor, connection)
  }

  /** The connection `meta`'s model runs on now. */
  static connection(meta: ModelMetadata): Connection {
    for (let ctor: object | null = meta.ctor; ctor && ctor !== Function.prototype; ctor = Object.getPrototypeOf(ctor)) {
      const bound = ModelAdapter.bindings.get(ctor)
      if (bound !== undefined) return typeof bound === 'string' ? defaultDatabase().connection(bound) : bound
    }
    return defaultDatabase().connection(meta.settings.connection)
  }

  /** A knex builder on the model's table, inside the current transaction when one is open. */
  static table(meta: ModelMetadata): Knex.QueryBuilder<Row, Row[]> {
    return ModelAdapter.connection(meta).table(meta.table)
  }

  /**
   * Runs `fn` so that a failing statement inside it can be caught and retried: in a savepoint
   * when a transaction is open (PostgreSQL aborts the whole transaction on an error otherwise),
   * directly when not.
   */
  static async recoverable<T>(meta: ModelMetadata, fn: () => Promise<T>): Promise<T> {
    const connection = ModelAdapter.connection(meta)
    return connection.currentTransaction() ? connection.transaction(fn) : fn()
  }
}
