import type { ConnectionConfig, ConnectOptions } from '../connection/config.js'

/**
 * What `quarry.config.ts` (or `.js`, `.mjs`) exports: the `connect()` options, plus where the
 * migrations, seeders and models live (relative to the config file).
 *
 * ```ts
 * // quarry.config.ts
 * import { defineConfig } from 'quarry'
 * export default defineConfig({
 *   connections: { main: { url: process.env.PRIMARY_URL } },
 *   migrations: { directory: 'database/migrations' },
 * })
 * ```
 */
export type QuarryConfig = (Partial<ConnectOptions> | ConnectionConfig | { connection?: string }) & {
  migrations?: { directory?: string; lockTimeoutMs?: number }
  seeders?: { directory?: string }
  models?: { directory?: string }
  factories?: { directory?: string }
}

/** Types a config file's export; returns it unchanged. */
export function defineConfig<T extends QuarryConfig>(config: T): T {
  return config
}
