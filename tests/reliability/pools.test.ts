import { expect, it } from 'vitest'
import { connect, ConnectionError } from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'

forEachDialect('pools under load', (ctx) => {
  it('1,000 concurrent queries over a pool of 10 all succeed and the pool drains back, leaking nothing', async () => {
    const db = await connect(ctx.target.config({ pool: { min: 0, max: 10 } }))
    try {
      // SQLite pools hold one connection whatever is asked: one writer is all SQLite allows.
      const max = db.connection().config.pool.max
      let peak = 0
      const results = await Promise.all(
        Array.from({ length: 1_000 }, async (_, i) => {
          const rows = await db.raw<{ n: number }>('select ? as n', [i])
          peak = Math.max(peak, db.stats().default!.write.size)
          return Number(rows[0]!.n)
        }),
      )
      expect(results).toEqual(Array.from({ length: 1_000 }, (_, i) => i))
      expect(peak).toBeLessThanOrEqual(max)
      const after = db.stats().default!.write
      expect(after.used).toBe(0)
      expect(after.pending).toBe(0)
      expect(after.size).toBeLessThanOrEqual(max)
    } finally {
      await db.close()
    }
  })

  it('an exhausted pool fails with an error naming its size and the timeout, and recovers when load drops', async () => {
    const db = await connect(ctx.target.config({ pool: { min: 0, max: 2, acquireTimeoutMs: 300 } }))
    try {
      const max = db.connection().config.pool.max
      let release!: () => void
      const held = new Promise<void>((r) => (release = r))
      let entered = 0
      let allIn!: () => void
      const inside = new Promise<void>((r) => (allIn = r))
      // Hold every connection of the pool in an open transaction.
      const holders = Array.from({ length: max }, () =>
        db.transaction(async () => {
          await db.raw('select 1 as held')
          if (++entered === max) allIn()
          await held
        }),
      )
      await inside
      const started = Date.now()
      const error = await db.raw('select 1 as starved').catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ConnectionError)
      expect((error as Error).message).toContain(`pool max ${max}`)
      expect((error as Error).message).toContain('300 ms')
      expect(Date.now() - started).toBeGreaterThanOrEqual(250)
      release()
      await Promise.all(holders)
      expect(await db.raw('select 1 as ok')).toEqual([{ ok: 1 }])
      expect(db.stats().default!.write.used).toBe(0)
    } finally {
      await db.close()
    }
  })

  it('close() while queries are in flight: each finishes or fails cleanly, and close resolves', async () => {
    const db = await connect(ctx.target.config({ pool: { min: 0, max: 4 } }))
    const queries = Array.from({ length: 50 }, (_, i) => db.raw('select ? as n', [i]))
    const closing = db.close()
    const settled = await Promise.allSettled(queries)
    await expect(closing).resolves.toBeUndefined()
    for (const result of settled) {
      if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(Error)
    }
    expect(settled.filter((r) => r.status === 'fulfilled').length + settled.filter((r) => r.status === 'rejected').length).toBe(50)
    // A closed database refuses new work with an error, not a hang.
    await expect(db.raw('select 1')).rejects.toBeInstanceOf(Error)
  })
})
