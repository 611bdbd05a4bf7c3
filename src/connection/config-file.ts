import { ConfigError } from '../errors/index.js'
import type { ConnectionConfig, ConnectOptions } from './config.js'

/**
 * Keys of `quarry.config.ts` that the CLI and the tooling read. `connect()` takes the whole file's
 * export, so the app and the CLI share one config, and ignores these.
 */
export const TOOLING_KEYS = ['migrations', 'seeders', 'factories', 'models'] as const

/** What `quarry.config.ts` exports, as `connect()` sees it (see `defineConfig`). */
export type ConfigFile = (Partial<ConnectOptions> | ConnectionConfig | { connection?: string }) & {
  [K in (typeof TOOLING_KEYS)[number]]?: object
}

/** Everything `connect()` takes: a URL, one connection, several, or a config file's export. */
export type ConnectInput = string | ConnectOptions | ConnectionConfig | ConfigFile

/**
 * A config file's export as a connection config: the tooling's keys dropped, `{ connection: url }`
 * read as that URL, and nothing left meaning "the default" (as the CLI reads the same file).
 */
export function withoutToolingKeys(input: ConnectInput | undefined): string | ConnectOptions | ConnectionConfig | undefined {
  if (!isPlainObject(input) || (!TOOLING_KEYS.some((key) => key in (input as object)) && !('connection' in (input as object)))) {
    return input as string | ConnectOptions | ConnectionConfig | undefined
  }
  const rest: Record<string, unknown> = { ...(input as object) }
  for (const key of TOOLING_KEYS) delete rest[key]
  if ('connection' in rest) {
    if (typeof rest.connection !== 'string') throw new ConfigError('connection', 'expected a URL string')
    if (Object.keys(rest).length > 1) {
      throw new ConfigError('connection', 'give either connection (a URL) or the connection options, not both')
    }
    return rest.connection
  }
  return Object.keys(rest).length ? (rest as unknown as ConnectOptions | ConnectionConfig) : undefined
}

function isPlainObject(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}
