import { beforeAll, expect, it } from 'vitest'
import { connect, ConnectionError, type Database, type QueryEvent } from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'

/**
 * The server kills a session (pg_terminate_backend, MySQL KILL): the next query gets a fresh
 * connection, a plain read is retried once, a write or a transaction in flight fails with
 * ConnectionError and is never re-run, and nothing is half-written.
 */
forEachDialect('connections killed by the server', (ctx) => {
  const postgres = ctx.dialect === 'postgres'
  const sessionId = postgres ? 'select pg_backend_pid() as id' : 'select connection_id() as id'
  const kill = async (admin: Database, id: number) => {
    if (postgres) await admin.raw('select pg_terminate_backend(?)', [id])
    else await admin.raw(`kill ${Number(id)}`)
  }
  const sleepExpr = (seconds: number) => (postgres ? `(select 1 from pg_sleep(${seconds}))` : `(sleep(${seconds}) + 1)`)
  let admin: Database

  beforeAll(async () => {
    admin = ctx.db
    await admin.knex.schema.createTable('ledger', (t) => {
      t.increments('id')
      t.integer('n').notNullable()
    })
    // A row, so that a slow expression in a select list is evaluated.
    await admin.table('ledger').insert({ n: 0 })
  })

  async function open() {
    const db = await connect(ctx.target.config({ pool: { min: 0, max: 1 } }))
    const events: QueryEvent[] = []
    db.on('query', (e) => events.push(e))
    const [{ id }] = await db.raw<{ id: number }>(sessionId)
    return { db, events, id: Number(id) }
  }

  const count = async () => Number((await admin.raw<{ n: number }>('select count(*) as n from ledger'))[0]!.n)

  it('after an idle connection is killed, the next query gets a fresh one', async () => {
    const { db, id } = await open()
    try {
      await kill(admin, id)
      await new Promise((r) => setTimeout(r, 100))
      const rows = await db.table('ledger').select('id')
      expect(Array.isArray(rows)).toBe(true)
      const [{ id: fresh }] = await db.raw<{ id: number }>(sessionId)
      expect(Number(fresh)).not.toBe(id)
    } finally {
      await db.close()
    }
  })

  it('a plain read whose connection is killed mid-query is retried once and succeeds', async () => {
    const { db, events, id } = await open()
    try {
      const read = db.table('ledger').select(db.knex.raw(`${sleepExpr(1)} as slow`)).limit(1)
      setTimeout(() => void kill(admin, id).catch(() => undefined), 300)
      const rows = (await read) as unknown as Array<{ slow: number | string }>
      expect(rows.map((r) => Number(r.slow))).toEqual([1])
      const attempts = events.filter((e) => e.sql.includes('as slow'))
      expect(attempts).toHaveLength(2)
      expect(attempts[0]!.error).toBeInstanceOf(ConnectionError)
      expect(attempts[1]!.error).toBeUndefined()
    } finally {
      await db.close()
    }
  })

  it('a write in flight fails with ConnectionError, is not re-run, and leaves nothing behind', async () => {
    const { db, events, id } = await open()
    try {
      const before = await count()
      const write = db.table('ledger').insert({ n: db.knex.raw(sleepExpr(1)) })
      setTimeout(() => void kill(admin, id).catch(() => undefined), 300)
      await expect(write).rejects.toBeInstanceOf(ConnectionError)
      expect(events.filter((e) => e.sql.startsWith('insert'))).toHaveLength(1)
      await new Promise((r) => setTimeout(r, 200))
      expect(await count()).toBe(before)
      // The connection pool recovers for the next statement.
      await db.table('ledger').insert({ n: 1 })
      expect(await count()).toBe(before + 1)
    } finally {
      await db.close()
    }
  })

  it('a transaction whose connection dies fails with ConnectionError and none of it is kept', async () => {
    const { db, id } = await open()
    try {
      const before = await count()
      const error = await db
        .transaction(async () => {
          await db.table('ledger').insert({ n: 10 })
          await kill(admin, id)
          await new Promise((r) => setTimeout(r, 100))
          await db.table('ledger').insert({ n: 11 })
        })
        .catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ConnectionError)
      expect(await count()).toBe(before)
      expect(await db.raw('select 1 as ok')).toEqual([{ ok: 1 }])
    } finally {
      await db.close()
    }
  })
}, { only: ['postgres', 'mysql'], because: 'an embedded database has no server connection to lose' })
