import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { connect, type Database } from '../../src/index.js'
import { capabilities, createTestDatabase, testDialects, type TestDialect } from '../support/databases.js'
import { bump, Counter, createCounters, failures } from './support/counter.js'

/**
 * Nothing is lost under concurrency: 10,000 concurrent increments through `increment()`, and
 * 10,000 through transactions that read with `forUpdate()` and save, end at exactly 10,000 each,
 * over a pool of 10. SQLite and libSQL serialise writers, so in one process the pool's queue
 * orders them; across processes the file lock does, polled within the busy timeout: four
 * processes writing one file (2,000 per counter: SQLite's lock hand-off between processes is
 * polling, far slower than a pool's queue) lose nothing and no SQLITE_BUSY reaches a caller.
 */

const ROOT = resolve(import.meta.dirname, '../..')
const WORKER = resolve(import.meta.dirname, 'support/counter-worker.ts')
const range = (n: number) => Array.from({ length: n }, (_, i) => i)
const LONG = { timeout: 240_000 }

/** Runs `n` worker processes against `url`, starts them together, and collects their failures. */
async function workers(url: string, n: number, perWorker: number, incrementId: number, forUpdateId: number): Promise<string[]> {
  const children = range(n).map(() => {
    const args = ['--import', './scripts/register-ts.js', WORKER, url, String(perWorker), String(incrementId), String(forUpdateId)]
    const child = spawn(process.execPath, args, { cwd: ROOT })
    let out = ''
    let err = ''
    let onReady!: () => void
    const ready = new Promise<void>((r) => (onReady = r))
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      if (out.includes('ready\n')) onReady()
    })
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
    const done = new Promise<{ code: number | null; out: string; err: string }>((r) => child.on('close', (code) => r({ code, out, err })))
    void done.then(() => onReady())
    return { child, ready, done }
  })
  await Promise.all(children.map((c) => c.ready))
  // Closing stdin is the signal to start (and lets each worker exit when done).
  for (const c of children) c.child.stdin.end('go\n')
  const results = await Promise.all(children.map((c) => c.done))
  return results.flatMap((r) => {
    const line = r.out.split('\n').find((l) => l.startsWith('{'))
    if (r.code !== 0 || !line) return [`worker exited ${r.code}: ${r.err.slice(0, 2_000)}`]
    return (JSON.parse(line) as { failures: string[] }).failures
  })
}

/**
 * One dialect's run: a fresh database, a pool of 10 whose queue may wait as long as the run takes
 * (what is measured is lost updates, not how long 10,000 callers queue for 10 connections), and a
 * Counter subclass bound to it, so that the dialects run at the same time.
 */
async function onFreshDatabase(dialect: TestDialect, fn: (db: Database, Local: typeof Counter, url: string) => Promise<void>): Promise<void> {
  const target = await createTestDatabase(dialect)
  const admin = await connect(target.config())
  let db: Database | undefined
  try {
    await createCounters(admin)
    if (dialect === 'postgres') {
      // Commits need not wait for the disk here (a crash is not what this file tests): the
      // 20,000 row-lock hand-offs then take less time on a loaded machine.
      const [{ name }] = await admin.raw<{ name: string }>('select current_database() as name')
      await admin.raw('alter database ?? set synchronous_commit = off', [name])
    }
    db = await connect(target.config({ pool: { min: 0, max: 10, acquireTimeoutMs: 600_000 } }))
    class Local extends Counter {}
    Local.useConnection(db.connection())
    await fn(db, Local, target.url)
  } finally {
    await db?.close()
    await admin.close()
    await target.drop()
  }
}

const hits = async (db: Database, id: number) => Number((await db.table('rel_counters').where('id', id).first())!.hits)

// The dialects run at the same time: each is bound by row-lock hand-offs, not by this process.
describe.concurrent('concurrency: counters', () => {
  for (const dialect of testDialects()) {
    it(`[${dialect}] 10,000 concurrent increment() calls and 10,000 concurrent forUpdate() transactions each end at exactly 10,000`, LONG, async () => {
      await onFreshDatabase(dialect, async (db, Local) => {
        const [incremented, locked] = await Local.createMany([{ name: 'increment', hits: 0 }, { name: 'forUpdate', hits: 0 }])
        // A hundred loaded copies of the counter, as a hundred requests would hold.
        const copies = await Promise.all(range(100).map(() => Local.findOrFail(incremented!.id)))
        const started = performance.now()
        const settled = await Promise.allSettled([
          ...range(10_000).map((i) => bump(db, 'increment', copies[i % 100]!)),
          ...range(10_000).map(() => bump(db, 'forUpdate', locked!)),
        ])
        const elapsed = performance.now() - started
        expect(failures(settled)).toEqual([])
        expect(await hits(db, incremented!.id)).toBe(10_000)
        expect(await hits(db, locked!.id)).toBe(10_000)
        const pool = db.stats().default!.write
        expect(pool).toMatchObject({ used: 0, pending: 0 })
        expect(pool.size).toBeLessThanOrEqual(db.connection().config.pool.max)
        console.log(`[reliability] ${dialect}: 2 x 10,000 concurrent increments in ${Math.round(elapsed)} ms`)
      })
    })

    if (!capabilities(dialect).embedded) continue
    it(`[${dialect}] 4 processes writing one file end at exactly 2,000 per counter, no SQLITE_BUSY escaping`, LONG, async () => {
      await onFreshDatabase(dialect, async (db, Local, url) => {
        const [incremented, locked] = await Local.createMany([{ name: 'increment', hits: 0 }, { name: 'forUpdate', hits: 0 }])
        const started = performance.now()
        const problems = await workers(url, 4, 500, incremented!.id, locked!.id)
        const elapsed = performance.now() - started
        expect(problems).toEqual([])
        expect(await hits(db, incremented!.id)).toBe(2_000)
        expect(await hits(db, locked!.id)).toBe(2_000)
        console.log(`[reliability] ${dialect}: 4 processes x 2 x 500 increments in ${Math.round(elapsed)} ms`)
      })
    })
  }
})
