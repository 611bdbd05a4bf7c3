import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { forEachDialect } from '../support/databases.js'

/**
 * Migrations under faults, run as a user runs them (`quarry migrate` processes): five at once
 * apply each migration exactly once; a process killed (SIGKILL) in the middle of a migration
 * leaves nothing of it where schema changes are transactional, the next run applies it, and a
 * lock the dead run left behind is reported with the command that releases it.
 */

const BIN = resolve(import.meta.dirname, '../../bin/quarry.js')
const LONG = { timeout: 180_000 }

interface Result {
  code: number | null
  signal: NodeJS.Signals | null
  out: string
}

function start(cwd: string, args: string[], env: Record<string, string>) {
  const childEnv: Record<string, string | undefined> = { ...process.env, NODE_ENV: 'development', NO_COLOR: '1', FORCE_COLOR: undefined, ...env }
  for (const key of Object.keys(childEnv)) if (childEnv[key] === undefined) delete childEnv[key]
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: childEnv as NodeJS.ProcessEnv })
  let out = ''
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()))
  const done = new Promise<Result>((r) => child.on('close', (code, signal) => r({ code, signal, out })))
  return { child, done }
}

const quarry = (cwd: string, args: string[], env: Record<string, string>) => start(cwd, args, env).done

/** A migration that creates `table`, logs its run in `fault_log`, and takes a moment doing so. */
const migration = (table: string) => `import { Migration } from 'quarry'

export default class extends Migration {
  async up() {
    await this.schema.createTable('${table}', (t) => { t.increments('id') })
    await this.db.table('fault_log').insert({ name: '${table}' })
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  async down() {
    await this.schema.dropTable('${table}')
  }
}
`

/**
 * Creates a table and a row, then (with QUARRY_FAULT_BLOCK set) says so with a file and waits
 * for a file that never comes: the parent kills the process there.
 */
const BLOCKING = `import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Migration } from 'quarry'

export default class extends Migration {
  async up() {
    await this.schema.createTable('half_done', (t) => { t.increments('id'); t.string('note') })
    await this.db.table('half_done').insert({ note: 'inside' })
    await this.db.table('fault_log').insert({ name: 'half_done' })
    const dir = process.env.QUARRY_FAULT_DIR
    if (!process.env.QUARRY_FAULT_BLOCK) return
    writeFileSync(join(dir, 'started'), String(process.pid))
    for (let waited = 0; !existsSync(join(dir, 'never')); waited += 50) {
      if (waited > 60_000) throw new Error('not killed in time')
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
  async down() {
    await this.schema.dropTable('half_done')
  }
}
`

forEachDialect('migrations under faults', (ctx) => {
  let dir: string
  let env: Record<string, string>
  const names = ['2030_01_01_000000_create_alpha', '2030_01_02_000000_create_beta', '2030_01_03_000000_create_gamma']
  const applied = async () => (await ctx.db.table('quarry_migrations').select('name')).map((r) => String(r.name)).sort()
  const logged = async (name: string) => Number((await ctx.db.table('fault_log').where('name', name).count({ n: '*' }))[0]!.n)
  const tables = async () => {
    const connection = ctx.db.connection()
    return connection.dialect.rawRows(await connection.knex.raw(connection.dialect.listTablesSql)).map((r) => String(r.name))
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `quarry-faults-${ctx.dialect}-`))
    mkdirSync(join(dir, 'migrations'))
    writeFileSync(join(dir, 'quarry.config.mjs'), "export default { migrations: { directory: 'migrations' } }\n")
    for (const name of names) writeFileSync(join(dir, 'migrations', `${name}.mjs`), migration(name.slice(25)))
    env = { DATABASE_URL: ctx.target.url, QUARRY_FAULT_DIR: dir }
    // Outside any migration, so that a rolled-back migration's row goes with it.
    await ctx.db.knex.schema.createTable('fault_log', (t) => {
      t.increments('id')
      t.string('name').notNullable()
    })
  })

  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('five concurrent migrate processes apply each migration exactly once, and all succeed', LONG, async () => {
    const runs = await Promise.all(Array.from({ length: 5 }, () => quarry(dir, ['migrate'], env)))
    for (const run of runs) expect(run.code, run.out).toBe(0)
    expect(await applied()).toEqual(names)
    for (const name of names) expect(await logged(name.slice(25))).toBe(1)
    // One process ran them all in one batch; the others found nothing left to do.
    expect(runs.filter((r) => /Ran 3 migrations in batch 1/.test(r.out))).toHaveLength(1)
    const batches = await ctx.db.table('quarry_migrations').distinct('batch')
    expect(batches).toHaveLength(1)
  })

  it('a process killed inside a migration: nothing of it remains, the lock is reported with its release, the next run applies it', LONG, async () => {
    const transactional = ctx.db.connection().dialect.supports.transactionalDdl
    writeFileSync(join(dir, 'migrations', '2030_02_01_000000_half_done.mjs'), BLOCKING)
    const doomed = start(dir, ['migrate'], { ...env, QUARRY_FAULT_BLOCK: '1' })
    for (let waited = 0; !existsSync(join(dir, 'started')); waited += 50) {
      if (waited > 60_000) throw new Error(`the migration never started:\n${await Promise.race([doomed.done.then((r) => r.out), new Promise<string>((r) => setTimeout(() => r('(still running)'), 10))])}`)
      await new Promise((r) => setTimeout(r, 50))
    }
    doomed.child.kill('SIGKILL')
    const killed = await doomed.done
    expect(killed.signal).toBe('SIGKILL')
    // The server notices the dead session (and ends its transaction) within moments.
    await new Promise((r) => setTimeout(r, 500))

    if (!transactional) {
      // MySQL commits each schema change as it goes: what ran stays, unrecorded, and says so next time.
      expect(await tables()).toContain('half_done')
      expect(await applied()).not.toContain('2030_02_01_000000_half_done')
      const next = await quarry(dir, ['migrate', '--lock-timeout', '2000'], env)
      expect(next.code).toBe(1)
      expect(next.out).toMatch(/Migration 2030_02_01_000000_half_done failed: .*(exist|already)/i)
      return
    }
    expect(await tables()).not.toContain('half_done')
    expect(await logged('half_done')).toBe(0)
    expect(await applied()).not.toContain('2030_02_01_000000_half_done')

    const next = await quarry(dir, ['migrate', '--lock-timeout', '500'], env)
    if (ctx.db.connection().dialect.supports.advisoryLocks) {
      // The database released the dead session's advisory lock: the next run just proceeds.
      expect(next.code, next.out).toBe(0)
    } else {
      // A lock row outlives its process: the next run says who holds it and how to release it.
      expect(next.code).toBe(1)
      expect(next.out).toMatch(/The migration lock on "\w+" is held by .* pid \d+ .* since \d{4}-\d\d-\d\dT/)
      expect(next.out).toContain('release it with: npx quarry migrate:unlock')
      expect(next.out).toContain(`pid ${readFileSync(join(dir, 'started'), 'utf8')} `)
      expect(await applied()).not.toContain('2030_02_01_000000_half_done')
      const unlock = await quarry(dir, ['migrate:unlock'], env)
      expect(unlock.code, unlock.out).toBe(0)
      expect(unlock.out).toContain('Released the migration lock.')
      const after = await quarry(dir, ['migrate'], env)
      expect(after.code, after.out).toBe(0)
    }
    expect(await applied()).toEqual([...names, '2030_02_01_000000_half_done'])
    expect(await logged('half_done')).toBe(1)
    expect(await ctx.db.table('half_done').select('note')).toEqual([{ note: 'inside' }])
  })
})
