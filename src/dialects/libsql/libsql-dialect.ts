import type { Knex } from 'knex'
import type { ResolvedConnection, ResolvedNode } from '../../connection/config.js'
import { type ClientClass, quarryClient } from '../../connection/quarry-client.js'
import { errorField, isSocketFailure } from '../dialect.js'
import { SqliteDialect } from '../sqlite/sqlite-dialect.js'
import { LibsqlKnexClient } from './libsql-knex-client.js'
import { libsqlClientUrl } from './libsql-urls.js'

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

  /** @libsql/client's own URLs (`file:`, `:memory:`, `libsql://`, `http(s)://`, `ws(s)://`). */
  clientUrl(url: string): string | undefined {
    return libsqlClientUrl(url)
  }

  /** A socket failure, also as the `cause` of fetch's and the Hrana WebSocket's errors. */
  override isConnectionFailure(error: unknown): boolean {
    if (isSocketFailure(error)) return true
    const cause = (error as { cause?: unknown } | null)?.cause
    if (cause !== undefined && isSocketFailure(cause)) return true
    return /fetch failed|HRANA_WEBSOCKET_ERROR/.test(errorField(error, 'message') ?? '')
  }
}
