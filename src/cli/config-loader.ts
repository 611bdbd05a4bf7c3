import { existsSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import type { ConnectionConfig, ConnectOptions } from '../connection/config.js'
import { ConfigError } from '../errors/index.js'
import { importFile } from '../schema/import-file.js'
import type { QuarryConfig } from './config.js'

/** A config file read and resolved: what to connect to, and where things live. */
export interface LoadedConfig {
  /** The file read, or undefined when there was none (defaults apply). */
  file: string | undefined
  /** What `connect()` receives; undefined lets it use DATABASE_URL or ./quarry.sqlite. */
  connect: string | ConnectOptions | ConnectionConfig | undefined
  migrationsDirectory: string
  seedersDirectory: string
  modelsDirectory: string
  factoriesDirectory: string
  lockTimeoutMs: number | undefined
  /** The config is TypeScript (or the project has a tsconfig.json): scaffold `.ts` files. */
  typescript: boolean
}

const NAMES = ['quarry.config.ts', 'quarry.config.mts', 'quarry.config.js', 'quarry.config.mjs']
const EXTRA_KEYS = ['migrations', 'seeders', 'models', 'factories'] as const

/**
 * Reads `quarry.config.*` from `cwd` (or the file given with `--config`). `DATABASE_URL`, when
 * set, replaces the default connection, driver included.
 */
export async function loadConfig(cwd: string, explicit: string | undefined, env: NodeJS.ProcessEnv): Promise<LoadedConfig> {
  const file = explicit ? resolve(cwd, explicit) : NAMES.map((n) => resolve(cwd, n)).find((f) => existsSync(f))
  if (explicit && !existsSync(file!)) throw new ConfigError('--config', `no such file: ${file}`)
  let raw: QuarryConfig = {}
  if (file) {
    let module: Record<string, unknown>
    try {
      module = await importFile(file)
    } catch (error) {
      throw new ConfigError(file, `could not be loaded: ${(error as Error).message}`)
    }
    const exported = module.default ?? module.config
    if (exported === null || typeof exported !== 'object') {
      throw new ConfigError(file, 'must export default the config object (export default defineConfig({ … }))')
    }
    raw = exported as QuarryConfig
  }
  const base = file ? dirname(file) : cwd
  const { migrations, seeders, models, factories, ...rest } = raw
  for (const [key, value] of Object.entries({ migrations, seeders, models, factories })) {
    if (value !== undefined && (value === null || typeof value !== 'object')) {
      throw new ConfigError(key, 'expected an object such as { directory: "…" }')
    }
  }
  return {
    file,
    connect: withDatabaseUrl(connectOptions(rest), env.DATABASE_URL),
    migrationsDirectory: resolve(base, migrations?.directory ?? 'database/migrations'),
    seedersDirectory: resolve(base, seeders?.directory ?? 'database/seeders'),
    modelsDirectory: resolve(base, models?.directory ?? 'src/models'),
    factoriesDirectory: resolve(base, factories?.directory ?? 'database/factories'),
    lockTimeoutMs: migrations?.lockTimeoutMs,
    typescript: (file !== undefined && /\.m?ts$/.test(file)) || existsSync(resolve(cwd, 'tsconfig.json')),
  }
}

/** The config less Quarry's own keys; `{ connection: url }` is the short form of one connection. */
function connectOptions(rest: Record<string, unknown>): string | ConnectOptions | ConnectionConfig | undefined {
  for (const key of EXTRA_KEYS) delete rest[key]
  if (Object.keys(rest).length === 0) return undefined
  if (Object.keys(rest).length === 1 && typeof rest.connection === 'string') return rest.connection
  return rest as ConnectOptions | ConnectionConfig
}

function withDatabaseUrl(
  options: string | ConnectOptions | ConnectionConfig | undefined,
  url: string | undefined,
): string | ConnectOptions | ConnectionConfig | undefined {
  if (!url) return options
  if (options === undefined || typeof options === 'string' || !('connections' in options)) return url
  const names = Object.keys(options.connections)
  const name = options.default ?? names[0]!
  return { ...options, connections: { ...options.connections, [name]: url } }
}
