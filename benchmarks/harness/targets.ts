// The databases the suite runs on: a fresh SQLite file (on tmpfs where there is one, so fsync
// does not decide the single-insert and update numbers), and a `quarry_bench` database created on
// the local PostgreSQL (with synchronous_commit off, for the same reason) and MySQL/MariaDB
// servers, dropped again at the end.
import knexFactory, { type Knex } from 'knex'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BenchTarget, DialectName } from './contestant.js'

export const DIALECTS: readonly DialectName[] = ['sqlite', 'postgres', 'mysql']
const DATABASE = 'quarry_bench'

const SERVERS = {
  postgres: process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  mysql: process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test',
}

/** A target that is ready: its connection details, a knex for seeding and resets, and its teardown. */
export interface OpenTarget {
  target: BenchTarget
  /** The harness's own knex on the target (seeding, resets, checks); never used while timing. */
  knex: Knex
  /** The server's version string, for the report. */
  serverVersion: string
  drop(): Promise<void>
}

/** A knex config for a target (the knex contestant and the harness both use it). */
export function knexConfig(target: BenchTarget): Knex.Config {
  switch (target.dialect) {
    case 'sqlite':
      return { client: 'better-sqlite3', connection: { filename: target.filename! }, useNullAsDefault: true }
    case 'postgres':
      return { client: 'pg', connection: target.url, pool: { min: 0, max: 4 } }
    case 'mysql':
      return { client: 'mysql2', connection: target.url, pool: { min: 0, max: 4 } }
  }
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${database}`
  return parsed.toString()
}

/** Creates the target's database (or file), or throws why it cannot be reached. */
export async function openTarget(dialect: DialectName): Promise<OpenTarget> {
  if (dialect === 'sqlite') {
    const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir()
    const dir = mkdtempSync(join(base, 'quarry-bench-'))
    const filename = join(dir, 'bench.sqlite')
    const target: BenchTarget = { dialect, url: `sqlite:${filename}`, filename, maxBindings: 32_766 }
    const knex = knexFactory(knexConfig(target))
    // WAL is a property of the file: every contestant's connection gets it, whatever it sets itself.
    await knex.raw('pragma journal_mode = WAL')
    const [{ version }] = (await knex.raw('select sqlite_version() as version')) as Array<{ version: string }>
    return {
      target,
      knex,
      serverVersion: `SQLite ${version}`,
      drop: async () => {
        await knex.destroy()
        rmSync(dir, { recursive: true, force: true })
      },
    }
  }
  const server = SERVERS[dialect]
  const admin = knexFactory(knexConfig({ dialect, url: server, maxBindings: 0 }))
  try {
    if (dialect === 'postgres') {
      await admin.raw(`drop database if exists ${DATABASE} with (force)`)
      await admin.raw(`create database ${DATABASE}`)
      // Commits do not wait for the WAL flush in this database (no other is touched): like SQLite
      // on tmpfs, the disk then does not decide the single-insert and update numbers.
      await admin.raw(`alter database ${DATABASE} set synchronous_commit = off`)
    } else {
      await admin.raw(`drop database if exists ${DATABASE}`)
      await admin.raw(`create database ${DATABASE}`)
    }
  } catch (error) {
    await admin.destroy()
    throw error
  }
  const target: BenchTarget = { dialect, url: withDatabase(server, DATABASE), maxBindings: 65_535 }
  const knex = knexFactory(knexConfig(target))
  const result = (await knex.raw('select version() as version')) as unknown
  const version = dialect === 'postgres'
    ? (result as { rows: Array<{ version: string }> }).rows[0]!.version.split(' on ')[0]!
    : `MySQL/MariaDB ${(result as [Array<{ version: string }>])[0][0]!.version}`
  return {
    target,
    knex,
    serverVersion: version,
    drop: async () => {
      await knex.destroy()
      try {
        await admin.raw(dialect === 'postgres' ? `drop database if exists ${DATABASE} with (force)` : `drop database if exists ${DATABASE}`)
      } finally {
        await admin.destroy()
      }
    },
  }
}
