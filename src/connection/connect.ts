import { type ConnectInput, resolveConfig } from './config.js'
import { Database } from './database.js'
import { setDefaultDatabase } from './default-database.js'

/**
 * Opens every configured connection and pings each node. The first database opened becomes the
 * default for all models.
 *
 * ```ts
 * const db = await connect()                                   // DATABASE_URL, else ./quarry.sqlite
 * const db = await connect('postgres://app@127.0.0.1:5432/app')
 * const db = await connect({ default: 'main', connections: { main: { driver: 'mysql', url } } })
 * const db = await connect(config)   // the default export of quarry.config.ts, as the CLI reads it
 * ```
 *
 * A bad config throws `ConfigError` naming the field; an unreachable server `ConnectionError`.
 */
export async function connect(config?: ConnectInput): Promise<Database> {
  const db = new Database(resolveConfig(config))
  try {
    await Promise.all(db.connectionNames.map((name) => db.connection(name).ping()))
  } catch (error) {
    await db.close()
    throw error
  }
  setDefaultDatabase(db)
  return db
}
