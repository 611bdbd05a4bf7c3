import { expect, it } from 'vitest'
import { connect, type QueryEvent } from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'

forEachDialect('query events, health and pool stats', (ctx) => {
  it('db.on("query") reports every statement with its duration, connection, role and host', async () => {
    const events: QueryEvent[] = []
    const off = ctx.db.on('query', (e) => events.push(e))
    await ctx.db.raw('select ? as x', ['bound value'])
    off()
    await ctx.db.raw('select 2 as y')
    expect(events).toHaveLength(1)
    const [event] = events
    expect(event!.sql).toMatch(/select (\?|\$1) as x/)
    expect(event!.bindings).toEqual(['bound value'])
    expect(event!.durationMs).toBeGreaterThanOrEqual(0)
    expect(event!.connection).toBe('default')
    expect(event!.role).toBe('write')
    expect(typeof event!.host).toBe('string')
    expect(event!.error).toBeUndefined()
  })

  it('a failing statement is reported with its error', async () => {
    const events: QueryEvent[] = []
    const off = ctx.db.on('query', (e) => events.push(e))
    await ctx.db.raw('select * from missing_table').catch(() => undefined)
    off()
    expect(events).toHaveLength(1)
    expect(events[0]!.error).toBeInstanceOf(Error)
  })

  it('statements inside a transaction are reported as writes, in order', async () => {
    const sql: string[] = []
    const off = ctx.db.on('query', (e) => sql.push(e.sql.toLowerCase().replace(/;$/, '')))
    await ctx.db.transaction(async () => {
      await ctx.db.raw('select 1 as one')
    })
    off()
    expect(sql[0]).toMatch(/^(begin|start transaction)/)
    expect(sql).toContain('select 1 as one')
    expect(sql[sql.length - 1]).toBe('commit')
  })

  it('healthCheck() pings each connection and reports latency', async () => {
    const health = await ctx.db.healthCheck()
    expect(health.default!.ok).toBe(true)
    expect(health.default!.latencyMs).toBeGreaterThanOrEqual(0)
    expect(health.default!.error).toBeUndefined()
    expect(health.default!.replicas).toBeUndefined()
  })

  it('stats() reports the pool synchronously and the pool drains after concurrent work', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => ctx.db.raw('select ? as n', [i])))
    const stats = ctx.db.stats()
    expect(stats.default!.write.used).toBe(0)
    expect(stats.default!.write.pending).toBe(0)
    expect(stats.default!.write.size).toBe(stats.default!.write.free)
    expect(stats.default!.write.size).toBeGreaterThanOrEqual(1)
    expect(stats.default!.read).toBeUndefined()
  })

  it('healthCheck() reports a node that stopped answering without throwing', async () => {
    const db = await connect(ctx.target.config())
    await db.connection().knex.destroy()
    const health = await db.healthCheck()
    expect(health.default!.ok).toBe(false)
    expect(health.default!.error).toBeTruthy()
    await db.close()
  })
})

forEachDialect('statement timeouts', (ctx) => {
  const sleepSql = (seconds: number) =>
    ctx.dialect === 'postgres' ? `select pg_sleep(${seconds})` : `select sleep(${seconds})`

  it('a statement past queryTimeoutMs fails with QueryTimeoutError and the connection stays usable', async () => {
    const db = await connect(ctx.target.config({ queryTimeoutMs: 300, pool: { min: 1, max: 1 } }))
    try {
      const started = Date.now()
      const error = await db.raw(sleepSql(3)).catch((e: unknown) => e)
      expect((error as Error).name).toBe('QueryTimeoutError')
      expect((error as { timeoutMs: number }).timeoutMs).toBe(300)
      expect(Date.now() - started).toBeLessThan(2_500)
      // The single pooled connection answers again.
      expect(await db.raw('select 1 as ok')).toEqual([{ ok: 1 }])
      expect(db.stats().default!.write.used).toBe(0)
    } finally {
      await db.close()
    }
  })

  it('a statement within the timeout is unaffected', async () => {
    const db = await connect(ctx.target.config({ queryTimeoutMs: 5_000 }))
    try {
      expect(await db.raw('select 1 as ok')).toEqual([{ ok: 1 }])
    } finally {
      await db.close()
    }
  })
  // SQLite and local libSQL run statements synchronously in this process: nothing can cancel
  // one mid-flight, so queryTimeoutMs is documented as applying to networked servers only.
}, { when: (supports) => supports.cancelQuery, because: 'statements run synchronously in this process: nothing can cancel one mid-flight' })
