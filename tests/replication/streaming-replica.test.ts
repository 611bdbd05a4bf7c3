import { execFileSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { connect, ConnectionError, type Database, type QueryEvent } from '../../src/index.js'

/**
 * The replica suite, on a real PostgreSQL primary with a streaming hot standby that the global
 * setup builds (scripts/pg-replica.sh). Runs wherever the postgres dialect runs.
 */
const replica = inject('replica')

// Registered only when the pair was built; the global setup says loudly when it could not be.
if (replica) describe('read replicas on a real streaming standby [postgres]', () => {
  const pair = replica!
  const control = (command: string) =>
    execFileSync('bash', [pair.control, command], { env: { ...process.env, ...pair.env }, stdio: 'ignore', timeout: 60_000 })
  let db: Database
  let sticky: Database
  const events: QueryEvent[] = []

  const options = (isSticky: boolean) => ({
    connections: {
      default: {
        driver: 'postgres' as const,
        write: { url: pair.primaryUrl },
        read: [{ url: pair.standbyUrl }],
        sticky: isSticky,
        replicaRecheckMs: 200,
        pool: { max: 4, acquireTimeoutMs: 5_000 },
      },
    },
  })

  /** Waits until the standby has replayed everything the primary wrote so far. */
  async function caughtUp(): Promise<void> {
    const [{ lsn }] = await db.connection().knex.raw('select pg_current_wal_lsn()::text as lsn').then((r: { rows: Array<{ lsn: string }> }) => r.rows)
    for (let i = 0; i < 200; i++) {
      const rows = await db.connection().readers[0]!.raw('select pg_last_wal_replay_lsn() >= ?::pg_lsn as done', [lsn]) as { rows: Array<{ done: boolean }> }
      if (rows.rows[0]!.done) return
      await new Promise((r) => setTimeout(r, 25))
    }
    throw new Error('the standby did not catch up within 5 s')
  }

  beforeAll(async () => {
    db = await connect(options(false))
    sticky = await connect(options(true))
    db.on('query', (e) => events.push(e))
    await db.knex.schema.dropTableIfExists('replicated')
    await db.knex.schema.createTable('replicated', (t) => {
      t.increments('id')
      t.string('note')
    })
    await caughtUp()
  })

  afterAll(async () => {
    await db?.close()
    await sticky?.close()
  })

  it('plain reads are served by the standby, which is in recovery', async () => {
    events.length = 0
    const [row] = (await db.knex.select(db.knex.raw('pg_is_in_recovery() as recovering'))) as Array<{ recovering: boolean }>
    expect(row!.recovering).toBe(true)
    expect(events[0]!.role).toBe('read')
    expect(events[0]!.host).toBe(new URL(pair.standbyUrl).host)
    // The primary is not in recovery, and writes go there.
    const primary = await db.transaction(() => db.raw<{ recovering: boolean }>('select pg_is_in_recovery() as recovering'))
    expect(primary[0]!.recovering).toBe(false)
  })

  it('writes reach the standby through replication', async () => {
    await db.table('replicated').insert({ note: 'replicated row' })
    await caughtUp()
    const rows = await db.table<{ note: string }>('replicated').where('note', 'replicated row')
    expect(rows).toHaveLength(1)
    expect(events.at(-1)!.role).toBe('read')
  })

  it('with sticky, a read right after a write in the same scope sees it (from the primary)', async () => {
    for (let i = 0; i < 20; i++) {
      await sticky.scope(async () => {
        await sticky.table('replicated').insert({ note: `sticky ${i}` })
        const seen = await sticky.table('replicated').where('note', `sticky ${i}`).first()
        expect(seen).toBeTruthy()
      })
    }
  })

  it('without sticky, the read after a write goes to the standby', async () => {
    await db.scope(async () => {
      await db.table('replicated').insert({ note: 'not sticky' })
      events.length = 0
      await db.table('replicated').where('note', 'not sticky').first()
      expect(events[0]!.role).toBe('read')
    })
  })

  it('reads fail over to the primary when the standby stops, losing none, and it rejoins after restart', async () => {
    await caughtUp()
    const total = Number((await db.transaction(() => db.raw<{ n: string }>('select count(*) as n from replicated')))[0]!.n)
    control('stop-standby')
    const stoppedAt = Date.now()
    events.length = 0
    // Every read during the outage succeeds, served by the primary.
    for (let i = 0; i < 20; i++) {
      const rows = await db.table('replicated').select('id')
      expect(rows).toHaveLength(total)
    }
    const failoverMs = Date.now() - stoppedAt
    const served = events.filter((e) => !e.error)
    expect(served.every((e) => e.role === 'write')).toBe(true)
    const health = await db.healthCheck()
    expect(health.default!.ok).toBe(true)
    expect(health.default!.replicas![0]!.ok).toBe(false)

    control('start-standby')
    const restartedAt = Date.now()
    let rejoinedMs = -1
    for (let i = 0; i < 200 && rejoinedMs < 0; i++) {
      events.length = 0
      await db.table('replicated').select('id')
      if (events.some((e) => e.role === 'read' && !e.error)) rejoinedMs = Date.now() - restartedAt
      else await new Promise((r) => setTimeout(r, 50))
    }
    expect(rejoinedMs).toBeGreaterThanOrEqual(0)
    console.log(`replica failover: 20 reads during the outage in ${failoverMs} ms; rejoined ${rejoinedMs} ms after restart`)
  })

  it('a primary restart: a transaction in flight fails with ConnectionError, the next queries get fresh connections', async () => {
    const before = Number((await db.transaction(() => db.raw<{ n: string }>('select count(*) as n from replicated')))[0]!.n)
    const error = await db
      .transaction(async () => {
        await db.table('replicated').insert({ note: 'lost with the restart' })
        control('restart-primary')
        await db.table('replicated').insert({ note: 'never' })
      })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConnectionError)
    // Writes and reads work again on fresh connections, and nothing of the lost transaction stayed.
    await db.table('replicated').insert({ note: 'after restart' })
    const notes = (await db.transaction(() => db.table<{ note: string }>('replicated').select('note'))).map((r) => r.note)
    expect(notes).toHaveLength(before + 1)
    expect(notes).toContain('after restart')
    expect(notes).not.toContain('lost with the restart')
    expect(db.stats().default!.write.used).toBe(0)
  })
})
