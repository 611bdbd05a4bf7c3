import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { TestProject } from 'vitest/node'
import { connect } from '../../src/index.js'
import {
  DEFAULT_URLS,
  isAbandoned,
  requestedDialects,
  SERVER_DIALECTS,
  type ServerDialect,
  TEST_DATABASE_PREFIX,
  type TestDialect,
  URL_ENV,
} from './servers.js'

declare module 'vitest' {
  export interface ProvidedContext {
    dialects: TestDialect[]
    serverUrls: Partial<Record<ServerDialect, string>>
    /** A PostgreSQL primary and its streaming standby, when the replica suite can run. */
    replica: { primaryUrl: string; standbyUrl: string; control: string; env: Record<string, string> } | null
    /** PgBouncer (transaction pooling) in front of the PostgreSQL under test, when it can run. */
    pgbouncer: { url: string; control: string; env: Record<string, string> } | null
    /** A libSQL server (sqld) on loopback, `http://127.0.0.1:<port>`, when the libsql suite can use one. */
    sqld: { url: string; control: string; env: Record<string, string> } | null
  }
}

const DOCKER_IMAGES: Record<ServerDialect, { image: string; port: number; env: Record<string, string>; url: (host: string, port: number) => string }> = {
  postgres: {
    image: 'postgres:16-alpine',
    port: 5432,
    env: { POSTGRES_HOST_AUTH_METHOD: 'trust', POSTGRES_DB: 'test' },
    url: (host, port) => `postgres://postgres@${host}:${port}/test`,
  },
  mysql: {
    image: 'mariadb:11',
    port: 3306,
    env: { MARIADB_ALLOW_EMPTY_ROOT_PASSWORD: '1', MARIADB_DATABASE: 'test' },
    url: (host, port) => `mysql://root@${host}:${port}/test`,
  },
}

/**
 * Finds a server for every requested dialect: the URL in its env var, else the local service,
 * else a container when a Docker engine answers. Without one, the dialect is skipped loudly, and
 * under CI=true that is a failure instead.
 */
export default async function setup(project: TestProject) {
  const requested = requestedDialects()
  const available: TestDialect[] = requested.filter((d) => !SERVER_DIALECTS.includes(d as ServerDialect))
  const serverUrls: Partial<Record<ServerDialect, string>> = {}
  const skipped: string[] = []
  const stops: Array<() => Promise<unknown>> = []

  for (const dialect of SERVER_DIALECTS.filter((d) => requested.includes(d))) {
    const explicit = process.env[URL_ENV[dialect]]
    let url = explicit ?? DEFAULT_URLS[dialect]
    let problem = await reach(url)
    if (problem && !explicit) {
      const started = await startContainer(dialect)
      if (started) {
        url = started.url
        stops.push(started.stop)
        problem = await reach(url)
      }
    }
    if (problem) {
      skipped.push(`${dialect} (${url.replace(/:[^:@/]*@/, ':***@')}: ${problem})`)
      continue
    }
    await dropLeftovers(url)
    serverUrls[dialect] = url
    available.push(dialect)
  }

  let replica: ProvidedReplica = null
  if (available.includes('postgres')) {
    const started = await startReplicaPair()
    if (typeof started === 'string') skipped.push(`postgres replica suite (${started})`)
    else {
      replica = started.replica
      stops.push(started.stop)
    }
  }

  let pgbouncer: ProvidedPgBouncer = null
  if (available.includes('postgres')) {
    const upstream = new URL(serverUrls.postgres!)
    const started = await startServer('pgbouncer', 'PGBOUNCER_URL', {
      QUARRY_PGBOUNCER_DIR: mkdtempSync(join(tmpdir(), 'quarry-pgbouncer-')),
      QUARRY_PGBOUNCER_PORT: String(await freePort()),
      QUARRY_PGBOUNCER_UPSTREAM: `${upstream.hostname}:${upstream.port || 5432}`,
    })
    if (typeof started === 'string') skipped.push(`PgBouncer suite (${started})`)
    else {
      pgbouncer = started.server
      stops.push(started.stop)
    }
  }

  let sqld: ProvidedServer = null
  if (available.includes('libsql')) {
    const started = await startServer('sqld', 'SQLD_URL', { QUARRY_SQLD_DIR: mkdtempSync(join(tmpdir(), 'quarry-sqld-')), QUARRY_SQLD_PORT: String(await freePort()) })
    if (typeof started === 'string') skipped.push(`libSQL server suite (${started})`)
    else {
      sqld = started.server
      stops.push(started.stop)
    }
  }

  if (skipped.length) {
    const banner = `\n${'!'.repeat(78)}\n!! SKIPPED DIALECTS: ${skipped.join('; ')}\n!! Start the servers, or set ${Object.values(URL_ENV).join(' / ')}, to run them.\n${'!'.repeat(78)}\n`
    if (process.env.CI === 'true' || process.env.CI === '1') {
      throw new Error(`CI requires every dialect, but these are unreachable: ${skipped.join('; ')}`)
    }
    console.warn(banner)
    stops.push(async () => console.warn(banner))
  }
  console.log(`Dialects under test: ${available.join(', ')}`)
  project.provide('dialects', available)
  project.provide('serverUrls', serverUrls)
  project.provide('replica', replica)
  project.provide('pgbouncer', pgbouncer)
  project.provide('sqld', sqld)

  return async () => {
    for (const stop of stops.reverse()) await stop()
  }
}

async function reach(url: string): Promise<string | undefined> {
  try {
    const db = await connect({ url, connectRetries: 0, pool: { acquireTimeoutMs: 3_000 } })
    await db.close()
    return undefined
  } catch (error) {
    return (error as Error).message
  }
}

/** Databases that a crashed earlier run left behind, hours ago; concurrent runs keep theirs. */
async function dropLeftovers(url: string): Promise<void> {
  const db = await connect(url)
  try {
    const postgres = db.connection().config.driver === 'postgres'
    const rows = postgres
      ? await db.raw<{ name: string }>('select datname as name from pg_database where datname like ?', [`${TEST_DATABASE_PREFIX}%`])
      : await db.raw<{ name: string }>('select schema_name as name from information_schema.schemata where schema_name like ?', [`${TEST_DATABASE_PREFIX}%`])
    for (const { name } of rows.filter((row) => isAbandoned(row.name))) {
      await db.raw(postgres ? `drop database if exists "${name}" with (force)` : `drop database if exists \`${name}\``)
    }
  } finally {
    await db.close()
  }
}

async function startContainer(dialect: ServerDialect): Promise<{ url: string; stop: () => Promise<unknown> } | undefined> {
  let testcontainers: typeof import('testcontainers')
  try {
    testcontainers = await import('testcontainers')
    await testcontainers.getContainerRuntimeClient()
  } catch {
    return undefined
  }
  const spec = DOCKER_IMAGES[dialect]
  console.log(`Starting ${spec.image} through testcontainers for ${dialect}…`)
  const container = await new testcontainers.GenericContainer(spec.image)
    .withEnvironment(spec.env)
    .withExposedPorts(spec.port)
    .withWaitStrategy(testcontainers.Wait.forListeningPorts())
    .start()
  const url = spec.url(container.getHost(), container.getMappedPort(spec.port))
  for (let i = 0; i < 30 && (await reach(url)); i++) await new Promise((r) => setTimeout(r, 1_000))
  return { url, stop: () => container.stop() }
}

type ProvidedReplica = { primaryUrl: string; standbyUrl: string; control: string; env: Record<string, string> } | null

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer()
    server.once('error', fail)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => done(port))
    })
  })
}

/**
 * Builds a PostgreSQL primary and a streaming hot standby (scripts/pg-replica.sh) on free
 * loopback ports in a directory of this run's own, so concurrent runs never share one.
 */
async function startReplicaPair(): Promise<{ replica: NonNullable<ProvidedReplica>; stop: () => Promise<void> } | string> {
  const control = resolve(import.meta.dirname, '../../scripts/pg-replica.sh')
  const env = {
    QUARRY_REPLICA_DIR: mkdtempSync(join(tmpdir(), 'quarry-replica-')),
    QUARRY_REPLICA_PRIMARY_PORT: String(await freePort()),
    QUARRY_REPLICA_STANDBY_PORT: String(await freePort()),
  }
  try {
    const out = execFileSync('bash', [control, 'start'], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 120_000 })
    const value = (key: string) => new RegExp(`^${key}=(.*)$`, 'm').exec(out)?.[1]
    const primaryUrl = value('PRIMARY_URL')
    const standbyUrl = value('STANDBY_URL')
    if (!primaryUrl || !standbyUrl) return `scripts/pg-replica.sh printed no URLs: ${out.trim()}`
    return {
      replica: { primaryUrl, standbyUrl, control, env },
      stop: async () => {
        execFileSync('bash', [control, 'stop'], { env: { ...process.env, ...env }, stdio: 'ignore', timeout: 60_000 })
      },
    }
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr
    return `could not build a primary and standby with initdb/pg_basebackup: ${(stderr || (error as Error).message).trim().split('\n').pop()}`
  }
}

type ProvidedPgBouncer = ProvidedServer
type ProvidedServer = { url: string; control: string; env: Record<string, string> } | null

/**
 * Starts a server with its control script (scripts/<name>.sh: install when missing, then start)
 * on the free loopback port and in the temporary directory `env` names; the script prints
 * `<urlKey>=…`. Returns why when it cannot.
 */
async function startServer(name: string, urlKey: string, env: Record<string, string>): Promise<{ server: NonNullable<ProvidedServer>; stop: () => Promise<void> } | string> {
  const control = resolve(import.meta.dirname, `../../scripts/${name}.sh`)
  const run = (command: string) => execFileSync('bash', [control, command], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 120_000 })
  try {
    // Installing needs root (apt) or the network (npm); without them the suite is skipped loudly.
    try {
      run('install')
    } catch {}
    const out = run('start')
    const url = new RegExp(`^${urlKey}=(.*)$`, 'm').exec(out)?.[1]
    if (!url) return `scripts/${name}.sh printed no URL: ${out.trim()}`
    return {
      server: { url, control, env },
      stop: async () => {
        execFileSync('bash', [control, 'stop'], { env: { ...process.env, ...env }, stdio: 'ignore', timeout: 30_000 })
      },
    }
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr
    return `could not start ${name} (scripts/${name}.sh install): ${(stderr || (error as Error).message).trim().split('\n').pop()}`
  }
}
