import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, inject, it } from 'vitest'
import { connect, type ConnectionConfig, type Database, type DialectCapabilities } from '../../src/index.js'
import { dialectFor } from '../../src/dialects/registry.js'
import { requestedDialects, testDatabaseName, type TestDialect } from './servers.js'

export type { TestDialect }

/** The dialects this run tests: those requested whose server was reached. */
export function testDialects(): TestDialect[] {
  const available = inject('dialects')
  return requestedDialects().filter((d) => available.includes(d))
}

/** What a dialect under test can do, known without connecting. */
export function capabilities(dialect: TestDialect): DialectCapabilities {
  return dialectFor(dialect).supports
}

/** A database of its own for one test file: a fresh server database, or a fresh file. */
export interface TestDatabase {
  dialect: TestDialect
  /** The URL that opens this database (for spawning a CLI, or a second connection). */
  url: string
  /** A `connect()` config for this database, with any extra options. */
  config(extra?: Omit<ConnectionConfig, 'url'>): ConnectionConfig
  /** Drops the database (or deletes the file). */
  drop(): Promise<void>
}

/**
 * Creates an empty database for `dialect`. Server databases are named `quarry_t_<random>` so
 * test files running in parallel never share tables, and leftovers are dropped by the next run.
 */
export async function createTestDatabase(dialect: TestDialect): Promise<TestDatabase> {
  const name = testDatabaseName(randomBytes(4).toString('hex'))
  if (dialect === 'sqlite' || dialect === 'libsql') {
    const dir = mkdtempSync(join(tmpdir(), 'quarry-test-'))
    const file = join(dir, `${name}.db`)
    const url = dialect === 'sqlite' ? `sqlite:${file}` : `libsql:file:${file}`
    return {
      dialect,
      url,
      config: (extra = {}) => ({ ...extra, url }),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    }
  }
  const serverUrl = inject('serverUrls')[dialect]!
  const admin = await connect(serverUrl)
  const quote = dialect === 'postgres' ? `"${name}"` : `\`${name}\``
  try {
    await admin.raw(`create database ${quote}`)
  } finally {
    await admin.close()
  }
  const parsed = new URL(serverUrl)
  parsed.pathname = `/${name}`
  const url = parsed.toString()
  return {
    dialect,
    url,
    config: (extra = {}) => ({ ...extra, url }),
    drop: async () => {
      const admin = await connect(serverUrl)
      try {
        await admin.raw(dialect === 'postgres' ? `drop database if exists ${quote} with (force)` : `drop database if exists ${quote}`)
      } finally {
        await admin.close()
      }
    },
  }
}

/** The per-dialect context `forEachDialect` hands to its body. */
export interface DialectContext {
  dialect: TestDialect
  /** The connected database (open for the whole describe block). */
  readonly db: Database
  /** The empty database it is connected to. */
  readonly target: TestDatabase
}

/**
 * Runs a describe block once per dialect under test, each against a fresh database of its own,
 * connected before the block's tests and dropped after them.
 *
 * ```ts
 * forEachDialect('transactions', (ctx) => {
 *   it('commits', async () => { await ctx.db.transaction(...) })
 * })
 * ```
 */
export function forEachDialect(
  title: string,
  body: (ctx: DialectContext) => void,
  options: {
    connect?: Omit<ConnectionConfig, 'url'>
    /** Only the dialects with these capabilities (the others have nothing to test here). */
    when?: (supports: DialectCapabilities) => boolean
    /** Only these dialects, for what is inherently about one server (its wire protocol, its tools). */
    only?: TestDialect[]
    /** Why the block does not apply to the dialects `when` or `only` leave out (shown in the report). */
    because?: string
  } = {},
): void {
  for (const dialect of testDialects()) {
    const reason = notApplicable(dialect, options)
    if (reason) {
      // Reported as skipped with its reason, so a filtered block is never silently absent.
      describe(`${title} [${dialect}]`, () => {
        it(`does not apply: ${reason}`, (test) => test.skip(reason))
      })
      continue
    }
    describe(`${title} [${dialect}]`, () => {
      let db: Database | undefined
      let target: TestDatabase | undefined
      const ctx: DialectContext = {
        dialect,
        get db() {
          if (!db) throw new Error('the database is opened in beforeAll; use ctx.db inside a test or hook')
          return db
        },
        get target() {
          if (!target) throw new Error('the database is created in beforeAll')
          return target
        },
      }
      beforeAll(async () => {
        target = await createTestDatabase(dialect)
        db = await connect(target.config(options.connect))
      })
      afterAll(async () => {
        await db?.close()
        await target?.drop()
      })
      body(ctx)
    })
  }
}

/** Why a `forEachDialect` block does not run on `dialect`, or undefined when it does. */
function notApplicable(
  dialect: TestDialect,
  options: { when?: (supports: DialectCapabilities) => boolean; only?: TestDialect[]; because?: string },
): string | undefined {
  if (options.when && !options.when(capabilities(dialect))) {
    return options.because ?? `${dialect} lacks the capability this block needs`
  }
  if (options.only && !options.only.includes(dialect)) {
    return options.because ?? `only for ${options.only.join(', ')}`
  }
  return undefined
}
