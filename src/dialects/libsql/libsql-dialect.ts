import type { Knex } from 'knex'
import type { ResolvedConnection, ResolvedNode } from '../../connection/config.js'
import { type ClientClass, quarryClient } from '../../connection/quarry-client.js'
import { isSocketFailure } from '../dialect.js'
import { SqliteDialect } from '../sqlite/sqlite-dialect.js'
import { LibsqlKnexClient } from './libsql-knex-client.js'

/**
 * libSQL through @libsql/client: local files and `:memory:` behave as SQLite does; remote
 * (`libsql://`, `https://`) databases and embedded replicas (`syncUrl`) go over the network.
 */
export class LibsqlDialect extends SqliteDialect {
  override readonly name = 'libsql' as const

  override knexConfig(node: ResolvedNode, connection: ResolvedConnection): Knex.Config {
    const settings: Record<string, unknown> = { url: node.url, busyTimeoutMs: connection.busyTimeoutMs }
    for (const key of ['authToken', 'syncUrl', 'syncInterval', 'encryptionKey'] as const) {
      if (node[key] !== undefined) settings[key] = node[key]
    }
    return {
      client: quarryClient(LibsqlKnexClient as unknown as ClientClass),
      connection: settings,
      useNullAsDefault: true,
      pool: { min: connection.pool.min, max: connection.pool.max },
    }
  }

  override isConnectionFailure(error: unknown): boolean {
    return isSocketFailure(error)
  }
}
