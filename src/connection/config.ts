import { inspect } from 'node:util'
import { ConfigError } from '../errors/index.js'
import type { DriverName } from '../dialects/dialect.js'
import { dialectFor } from '../dialects/registry.js'
import { type ConnectInput, withoutToolingKeys } from './config-file.js'

export type { ConfigFile, ConnectInput } from './config-file.js'

export type { DriverName }

/** One database server or file: the primary of a connection, or a read replica. */
export interface NodeConfig {
  /** `postgres://user:pw@host:5432/db`, `mysql://…`, `sqlite:./app.db`, `libsql:file:edge.db`, … */
  url?: string
  /** SQLite: a path or `:memory:`. */
  filename?: string
  host?: string
  port?: number
  user?: string
  password?: string
  database?: string
  /** PostgreSQL/MySQL: TLS options passed to the driver. */
  ssl?: boolean | Record<string, unknown>
  /** PostgreSQL: the schemas to search, first one first. */
  searchPath?: string | string[]
  /** libSQL: the auth token for a remote database. */
  authToken?: string
  /** libSQL embedded replica: the remote primary to sync from, and how often (seconds). */
  syncUrl?: string
  syncInterval?: number
  encryptionKey?: string
}

export interface PoolConfig {
  min?: number
  max?: number
  /** How long a query waits for a free connection before failing. */
  acquireTimeoutMs?: number
  /** How long an unused connection stays open above `min`. */
  idleTimeoutMs?: number
}

/** One named connection: a primary, optional read replicas, and how to use them. */
export interface ConnectionConfig extends NodeConfig {
  driver?: DriverName
  write?: NodeConfig
  read?: NodeConfig[]
  /** Read-your-writes: once a `db.scope` has written, its reads go to the primary. */
  sticky?: boolean
  pool?: PoolConfig
  /** A statement running longer than this is cancelled with `QueryTimeoutError`. */
  queryTimeoutMs?: number
  /** How many more times `connect()` tries an unreachable server before giving up. */
  connectRetries?: number
  connectRetryDelayMs?: number
  /** SQLite and libSQL: how long a writer waits for another's lock. */
  busyTimeoutMs?: number
  /** How long a failed replica stays out of rotation before a ping may bring it back. */
  replicaRecheckMs?: number
  /**
   * PostgreSQL: send `find(id)` as a named prepared statement, planned once per pooled connection
   * (default true). Turn off behind a pooler that cannot keep prepared statements.
   */
  preparedStatements?: boolean
}

/** The full form of `connect()`'s argument. */
export interface ConnectOptions {
  default?: string
  connections: Record<string, ConnectionConfig | string>
}

/** A node after validation: exactly what a dialect needs to open it. */
export interface ResolvedNode extends NodeConfig {
  /** `host:port` or the file name: what errors and query events may show. Never a password. */
  label: string
}

export interface ResolvedConnection {
  name: string
  driver: DriverName
  write: ResolvedNode
  read: ResolvedNode[]
  sticky: boolean
  pool: { min: number; max: number; acquireTimeoutMs: number; idleTimeoutMs: number }
  queryTimeoutMs: number | undefined
  connectRetries: number
  connectRetryDelayMs: number
  busyTimeoutMs: number
  replicaRecheckMs: number
  preparedStatements: boolean
}

export interface ResolvedConfig {
  default: string
  connections: ResolvedConnection[]
}

export const DRIVERS: readonly DriverName[] = ['postgres', 'cockroachdb', 'mysql', 'sqlite', 'libsql']

const NODE_KEYS = [
  'url', 'filename', 'host', 'port', 'user', 'password', 'database', 'ssl', 'searchPath',
  'authToken', 'syncUrl', 'syncInterval', 'encryptionKey',
] as const
const CONNECTION_KEYS = [
  ...NODE_KEYS, 'driver', 'write', 'read', 'sticky', 'pool', 'queryTimeoutMs', 'connectRetries',
  'connectRetryDelayMs', 'busyTimeoutMs', 'replicaRecheckMs', 'preparedStatements',
] as const
const POOL_KEYS = ['min', 'max', 'acquireTimeoutMs', 'idleTimeoutMs'] as const

/** The file `connect()` opens when given nothing and `DATABASE_URL` is unset. */
export const DEFAULT_SQLITE_FILE = './quarry.sqlite'

const URL_SHAPES = 'postgres://user:password@host:5432/database, mysql://user@host:3306/database, ' +
  'sqlite:./app.db, sqlite::memory:, libsql:file:app.db or libsql://host (with driver: \'libsql\', also file:, :memory:, https://, wss://)'

/**
 * Turns any form `connect()` accepts into a validated configuration, or throws a `ConfigError`
 * naming the field.
 */
export function resolveConfig(given: ConnectInput | undefined): ResolvedConfig {
  let input = withoutToolingKeys(given)
  if (input === undefined) {
    const url = process.env.DATABASE_URL
    input = url ? url : `sqlite:${DEFAULT_SQLITE_FILE}`
  }
  if (typeof input === 'string') {
    return { default: 'default', connections: [resolveConnection('default', input, '')] }
  }
  if (!isPlainObject(input)) throw new ConfigError('config', 'expected a URL string or an options object')
  if (!('connections' in input)) {
    return { default: 'default', connections: [resolveConnection('default', input, '')] }
  }
  rejectUnknown(input, ['default', 'connections'], '')
  const options = input as unknown as ConnectOptions
  if (!isPlainObject(options.connections) || Object.keys(options.connections).length === 0) {
    throw new ConfigError('connections', 'expected an object with at least one named connection')
  }
  const connections = Object.entries(options.connections).map(([name, config]) =>
    resolveConnection(name, config, `connections.${name}`),
  )
  const names = connections.map((c) => c.name)
  const fallback = names[0]!
  const defaultName = options.default ?? fallback
  if (!names.includes(defaultName)) {
    throw new ConfigError('default', `"${defaultName}" is not one of the connections (${names.join(', ')})`)
  }
  return { default: defaultName, connections }
}

function resolveConnection(name: string, input: ConnectionConfig | string, path: string): ResolvedConnection {
  const config: ConnectionConfig = typeof input === 'string' ? { url: input } : input
  if (!isPlainObject(config)) throw new ConfigError(path || 'config', 'expected a URL string or an options object')
  rejectUnknown(config, CONNECTION_KEYS, path)

  const writeInput = config.write ?? pick(config, NODE_KEYS)
  const writePath = config.write ? at(path, 'write') : path
  if (config.write && (config.url !== undefined || config.filename !== undefined || config.host !== undefined)) {
    throw new ConfigError(at(path, 'write'), 'give the primary either at the top of the connection or under write, not both')
  }
  const driver = resolveDriver(config.driver, writeInput, path, writePath)
  if (config.read !== undefined && !Array.isArray(config.read)) {
    throw new ConfigError(at(path, 'read'), 'expected an array of replicas ({ url } or { filename })')
  }
  const pool = resolvePool(config.pool as PoolConfig | undefined, driver, at(path, 'pool'))
  const resolved: ResolvedConnection = {
    name,
    driver,
    write: resolveNode(driver, writeInput, writePath),
    read: (config.read ?? []).map((node, i) => resolveNode(driver, node, at(path, `read[${i}]`))),
    sticky: optionalBoolean(config.sticky, at(path, 'sticky')) ?? false,
    pool,
    queryTimeoutMs: optionalCount(config.queryTimeoutMs, at(path, 'queryTimeoutMs'), 1),
    connectRetries: optionalCount(config.connectRetries, at(path, 'connectRetries'), 0) ?? 2,
    connectRetryDelayMs: optionalCount(config.connectRetryDelayMs, at(path, 'connectRetryDelayMs'), 0) ?? 200,
    busyTimeoutMs: optionalCount(config.busyTimeoutMs, at(path, 'busyTimeoutMs'), 0) ?? 5_000,
    replicaRecheckMs: optionalCount(config.replicaRecheckMs, at(path, 'replicaRecheckMs'), 1) ?? 5_000,
    preparedStatements: optionalBoolean(config.preparedStatements, at(path, 'preparedStatements')) ?? true,
  }
  return resolved
}

function resolveDriver(declared: unknown, node: NodeConfig, path: string, nodePath: string): DriverName {
  if (declared !== undefined && !DRIVERS.includes(declared as DriverName)) {
    throw new ConfigError(at(path, 'driver'), `unknown driver "${String(declared)}"; expected one of ${DRIVERS.join(', ')}`)
  }
  const url = node.url
  const native = declared !== undefined && typeof url === 'string' && takesOwnUrl(declared as DriverName, url)
  const fromUrl = typeof url === 'string' && !native ? driverOfUrl(url, at(nodePath, 'url')) : undefined
  if (declared === undefined) {
    if (fromUrl) return fromUrl
    if (node.filename !== undefined) return 'sqlite'
    throw new ConfigError(at(path, 'driver'), `required when no url is given; expected one of ${DRIVERS.join(', ')}`)
  }
  const driver = declared as DriverName
  if (fromUrl && !compatible(driver, fromUrl)) {
    throw new ConfigError(at(nodePath, 'url'), `is a ${fromUrl} URL but the driver is ${driver}`)
  }
  return driver
}

/** cockroachdb speaks postgres; a postgres:// URL is fine for it. */
function compatible(driver: DriverName, fromUrl: DriverName): boolean {
  return driver === fromUrl || (driver === 'cockroachdb' && fromUrl === 'postgres')
}

function driverOfUrl(url: string, path: string): DriverName {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase()
  switch (scheme) {
    case 'postgres':
    case 'postgresql':
      return 'postgres'
    case 'cockroachdb':
    case 'cockroach':
      return 'cockroachdb'
    case 'mysql':
    case 'mariadb':
      return 'mysql'
    case 'sqlite':
      return 'sqlite'
    case 'libsql':
      return 'libsql'
    default:
      throw new ConfigError(path, `not a valid database URL; expected one of ${URL_SHAPES}`)
  }
}

function resolveNode(driver: DriverName, input: NodeConfig | string, path: string): ResolvedNode {
  const node: NodeConfig = typeof input === 'string' ? { url: input } : input
  if (!isPlainObject(node)) throw new ConfigError(path, 'expected { url } or { filename }')
  rejectUnknown(node, NODE_KEYS, path)
  for (const key of ['url', 'filename', 'host', 'user', 'password', 'database', 'authToken', 'syncUrl'] as const) {
    if (node[key] !== undefined && typeof node[key] !== 'string') throw new ConfigError(at(path, key), 'expected a string')
  }
  if (node.port !== undefined && !isPort(node.port)) throw new ConfigError(at(path, 'port'), 'expected a port number (1-65535)')
  if (node.url !== undefined && !takesOwnUrl(driver, node.url) && !compatible(driver, driverOfUrl(node.url, at(path, 'url')))) {
    throw new ConfigError(at(path, 'url'), `is not a ${driver} URL`)
  }
  switch (driver) {
    case 'sqlite':
      return hideSecrets(sqliteNode(node, path))
    case 'libsql':
      return hideSecrets(libsqlNode(node, path))
    default:
      return hideSecrets(networkNode(driver, node, path))
  }
}

/**
 * Makes `inspect()`, `console.log()` and `JSON.stringify()` of a resolved node show `***` for the
 * password in its URL and for every secret field; the node itself keeps them for the driver.
 */
function hideSecrets(node: ResolvedNode): ResolvedNode {
  const shown = () => {
    const out: Record<string, unknown> = { ...node }
    for (const key of ['url', 'syncUrl'] as const) if (typeof node[key] === 'string') out[key] = redactUrl(node[key])
    for (const key of ['password', 'authToken', 'encryptionKey'] as const) if (node[key] !== undefined) out[key] = '***'
    return out
  }
  Object.defineProperty(node, 'toJSON', { value: shown })
  Object.defineProperty(node, inspect.custom, { value: shown })
  return node
}

/** A URL with its password (and an `authToken` parameter) replaced by `***`. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    if (parsed.searchParams.has('authToken')) parsed.searchParams.set('authToken', '***')
    return parsed.toString()
  } catch {
    return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*):[^@/]*@/i, '$1:***@')
  }
}

function sqliteNode(node: NodeConfig, path: string): ResolvedNode {
  let filename = node.filename
  if (node.url !== undefined) {
    let rest = node.url.slice('sqlite:'.length)
    if (rest.startsWith('//')) rest = rest.slice(2)
    filename = rest
  }
  if (!filename) {
    throw new ConfigError(at(path, 'filename'), 'required for the sqlite driver: a file path, or ":memory:"')
  }
  return { filename, label: filename }
}

function libsqlNode(node: NodeConfig, path: string): ResolvedNode {
  const forms = 'libsql:file:app.db, file:/abs/app.db, :memory:, libsql://host, https://host or wss://host'
  if (node.url === undefined) throw new ConfigError(at(path, 'url'), `required for the libsql driver: ${forms}`)
  const url = dialectFor('libsql').clientUrl?.(node.url)
  if (url === undefined) throw new ConfigError(at(path, 'url'), `not a valid libSQL URL; expected ${forms}`)
  const out: ResolvedNode = { url, label: /^[a-z]+:\/\//i.test(url) ? new URL(url).host : url }
  for (const key of ['authToken', 'syncUrl', 'syncInterval', 'encryptionKey'] as const) {
    if (node[key] !== undefined) (out as unknown as Record<string, unknown>)[key] = node[key]
  }
  return out
}

/** The driver's client takes `url` as it is (libSQL's `file:`, `https://`, …): the dialect says. */
function takesOwnUrl(driver: DriverName, url: string): boolean {
  return DRIVERS.includes(driver) && dialectFor(driver).clientUrl?.(url) !== undefined
}

function networkNode(driver: DriverName, node: NodeConfig, path: string): ResolvedNode {
  const defaultPort = driver === 'mysql' ? 3306 : driver === 'cockroachdb' ? 26257 : 5432
  const out: ResolvedNode = { label: '' }
  if (node.url !== undefined) {
    const url = parseUrl(node.url, at(path, 'url'))
    if (!url.hostname) throw new ConfigError(at(path, 'url'), 'names no host')
    out.url = driver === 'cockroachdb' ? node.url.replace(/^cockroach(db)?:/i, 'postgres:') : node.url.replace(/^mariadb:/i, 'mysql:')
    out.label = `${url.hostname}:${url.port || defaultPort}`
  } else {
    if (!node.host) throw new ConfigError(at(path, 'url'), `required for the ${driver} driver (or give host, port, user, database)`)
    for (const key of ['host', 'port', 'user', 'password', 'database'] as const) {
      if (node[key] !== undefined) (out as unknown as Record<string, unknown>)[key] = node[key]
    }
    out.label = `${node.host}:${node.port ?? defaultPort}`
  }
  if (node.ssl !== undefined) out.ssl = node.ssl
  if (node.searchPath !== undefined) out.searchPath = node.searchPath
  return out
}

function parseUrl(value: string, path: string): URL {
  try {
    return new URL(value)
  } catch {
    throw new ConfigError(path, `not a valid URL; expected one of ${URL_SHAPES}`)
  }
}

function resolvePool(input: PoolConfig | undefined, driver: DriverName, path: string): ResolvedConnection['pool'] {
  if (input !== undefined) {
    if (!isPlainObject(input)) throw new ConfigError(path, 'expected { min, max, acquireTimeoutMs, idleTimeoutMs }')
    rejectUnknown(input, POOL_KEYS, path)
  }
  const embedded = driver === 'sqlite' || driver === 'libsql'
  const min = optionalCount(input?.min, at(path, 'min'), 0) ?? 0
  const max = optionalCount(input?.max, at(path, 'max'), 1) ?? 10
  if (min > max) throw new ConfigError(path, `min (${min}) must not exceed max (${max})`)
  return {
    // SQLite allows one writer at a time, and one connection keeps :memory: one database, so an
    // embedded pool always holds exactly one connection, whatever a shared config asks for.
    min: embedded ? 1 : min,
    max: embedded ? 1 : max,
    acquireTimeoutMs: optionalCount(input?.acquireTimeoutMs, at(path, 'acquireTimeoutMs'), 1) ?? 10_000,
    idleTimeoutMs: optionalCount(input?.idleTimeoutMs, at(path, 'idleTimeoutMs'), 1) ?? 30_000,
  }
}

function optionalCount(value: unknown, path: string, least: number): number | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !Number.isInteger(value) || value < least) {
    throw new ConfigError(path, `expected a whole number of at least ${least}`)
  }
  return value
}

function optionalBoolean(value: unknown, path: string): boolean | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'boolean') throw new ConfigError(path, 'expected true or false')
  return value
}

function isPort(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value < 65_536
}

/** The path of `key` inside `path`; the top level of a single-connection config has no prefix. */
function at(path: string, key: string): string {
  return path ? `${path}.${key}` : key
}

function rejectUnknown(object: object, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) {
      throw new ConfigError(at(path, key), `unknown option; allowed here: ${allowed.join(', ')}`)
    }
  }
}

function pick<T extends object, K extends keyof T>(object: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>
  for (const key of keys) if (object[key] !== undefined) out[key] = object[key]
  return out
}

function isPlainObject(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}
