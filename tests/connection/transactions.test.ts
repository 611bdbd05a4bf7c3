import { beforeEach, expect, it } from 'vitest'
import { connect, SerializationFailureError } from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'

forEachDialect('transactions', (ctx) => {
  const names = async () => (await ctx.db.table<{ name: string }>('accounts').orderBy('id').select('name')).map((r) => r.name)

  beforeEach(async () => {
    await ctx.db.knex.schema.dropTableIfExists('accounts')
    await ctx.db.knex.schema.createTable('accounts', (t) => {
      t.increments('id')
      t.string('name').notNullable().unique()
      t.integer('balance').notNullable().defaultTo(0)
    })
  })

  it('commits when the callback resolves, and resolves to its value', async () => {
    const value = await ctx.db.transaction(async () => {
      await ctx.db.table('accounts').insert({ name: 'a' })
      return 42
    })
    expect(value).toBe(42)
    expect(await names()).toEqual(['a'])
  })

  it('rolls back and rethrows when the callback throws', async () => {
    const boom = new Error('boom')
    await expect(
      ctx.db.transaction(async () => {
        await ctx.db.table('accounts').insert({ name: 'a' })
        await ctx.db.raw('update accounts set balance = ? where name = ?', [5, 'a'])
        throw boom
      }),
    ).rejects.toBe(boom)
    expect(await names()).toEqual([])
  })

  it('queries inside the callback join the transaction without being passed it', async () => {
    await ctx.db.transaction(async (trx) => {
      await ctx.db.table('accounts').insert({ name: 'inside' })
      // A helper that knows nothing of the transaction still sees its uncommitted row.
      const seen = await (async () => ctx.db.table('accounts').where('name', 'inside').first())()
      expect(seen).toBeTruthy()
      expect((await trx.raw('select name from accounts')).map((r) => r.name)).toEqual(['inside'])
      expect(ctx.db.connection().currentTransaction()).toBeDefined()
    })
    expect(ctx.db.connection().currentTransaction()).toBeUndefined()
  })

  it('a nested transaction is a savepoint: an inner failure undoes only the inner work', async () => {
    await ctx.db.transaction(async () => {
      await ctx.db.table('accounts').insert({ name: 'outer' })
      await expect(
        ctx.db.transaction(async (inner) => {
          expect(inner.isNested).toBe(true)
          await ctx.db.table('accounts').insert({ name: 'inner' })
          throw new Error('inner failure')
        }),
      ).rejects.toThrow('inner failure')
      await ctx.db.transaction(async () => {
        await ctx.db.table('accounts').insert({ name: 'second inner' })
      })
    })
    expect(await names()).toEqual(['outer', 'second inner'])
  })

  it('an outer failure undoes committed savepoints too', async () => {
    await ctx.db
      .transaction(async () => {
        await ctx.db.transaction(async () => ctx.db.table('accounts').insert({ name: 'inner' }))
        throw new Error('outer failure')
      })
      .catch(() => undefined)
    expect(await names()).toEqual([])
  })

  it('a constraint error inside rolls everything back and surfaces as a Quarry error', async () => {
    await ctx.db.table('accounts').insert({ name: 'taken' })
    const error = await ctx.db
      .transaction(async () => {
        await ctx.db.table('accounts').insert({ name: 'fresh' })
        await ctx.db.table('accounts').insert({ name: 'taken' })
      })
      .catch((e: unknown) => e)
    expect((error as Error).name).toBe('UniqueViolationError')
    expect(await names()).toEqual(['taken'])
  })

  it('concurrent transactions never see each other\'s context', async () => {
    const seen: Array<[string, string[]]> = []
    await Promise.all(
      ['left', 'right'].map((name) =>
        ctx.db.transaction(async () => {
          await ctx.db.table('accounts').insert({ name })
          await new Promise((r) => setTimeout(r, 20))
          const rows = await ctx.db.table<{ name: string }>('accounts').select('name')
          seen.push([name, rows.map((r) => r.name)])
        }),
      ),
    )
    for (const [name, rows] of seen) expect(rows).toContain(name)
    // Under read committed (or serialised SQLite writers) neither sees the other's uncommitted row.
    const [first, second] = seen
    expect(first![1]).not.toContain(second![0])
    expect(await names()).toHaveLength(2)
  })

  it('afterCommit callbacks run after the outermost commit, in order, and never after a rollback', async () => {
    const calls: string[] = []
    await ctx.db.transaction(async (trx) => {
      trx.afterCommit(() => calls.push('outer'))
      await ctx.db.transaction(async (inner) => {
        inner.afterCommit(() => calls.push('kept savepoint'))
      })
      await ctx.db
        .transaction(async (inner) => {
          inner.afterCommit(() => calls.push('rolled-back savepoint'))
          throw new Error('undo')
        })
        .catch(() => undefined)
      expect(calls).toEqual([])
    })
    expect(calls).toEqual(['outer', 'kept savepoint'])
    await ctx.db
      .transaction(async (trx) => {
        trx.afterCommit(() => calls.push('never'))
        throw new Error('rollback')
      })
      .catch(() => undefined)
    expect(calls).toEqual(['outer', 'kept savepoint'])
  })

  it('a transaction on a named connection stays on that connection', async () => {
    const db = await connect({ default: 'main', connections: { main: 'sqlite::memory:', other: ctx.target.url } })
    try {
      await db.connection('other').transaction(async () => {
        await db.connection('other').table('accounts').insert({ name: 'via other' })
        expect(db.connection('main').currentTransaction()).toBeUndefined()
      })
      expect(await names()).toEqual(['via other'])
    } finally {
      await db.close()
    }
  })

  it('scope() resolves to the callback\'s value and rejects with its error', async () => {
    await expect(ctx.db.scope(async () => 'value')).resolves.toBe('value')
    await expect(ctx.db.scope(async () => Promise.reject(new Error('scoped')))).rejects.toThrow('scoped')
    await expect(ctx.db.scope(() => 7)).resolves.toBe(7)
  })

  it('raw() resolves to rows on every dialect and binds values', async () => {
    await ctx.db.raw('insert into accounts (name, balance) values (?, ?)', ["O'Brien; --", 3])
    const rows = await ctx.db.raw<{ name: string; balance: number }>('select name, balance from accounts where name = ?', ["O'Brien; --"])
    expect(rows).toHaveLength(1)
    expect(rows[0]!.name).toBe("O'Brien; --")
    expect(Number(rows[0]!.balance)).toBe(3)
    expect(await ctx.db.raw('update accounts set balance = 4')).toEqual([])
  })
})

forEachDialect('serializable transactions with retries', (ctx) => {
  it('re-runs the callback on a serialization failure until it commits', async () => {
    await ctx.db.knex.schema.createTable('counters', (t) => {
      t.integer('id').primary()
      t.integer('value').notNullable()
    })
    await ctx.db.table('counters').insert({ id: 1, value: 0 })
    let attempts = 0
    let barrier!: () => void
    const bothRead = new Promise<void>((resolve) => {
      let waiting = 2
      barrier = () => {
        if (--waiting === 0) resolve()
      }
    })
    const bump = () =>
      ctx.db.transaction(
        async () => {
          attempts++
          const row = await ctx.db.table<{ value: number }>('counters').where('id', 1).first()
          if (attempts <= 2) {
            barrier()
            await bothRead
          }
          await ctx.db.table('counters').where('id', 1).update({ value: row!.value + 1 })
        },
        { isolationLevel: 'serializable', retries: 5 },
      )
    await Promise.all([bump(), bump()])
    const final = await ctx.db.table<{ value: number }>('counters').where('id', 1).first()
    expect(final!.value).toBe(2)
    expect(attempts).toBeGreaterThan(2)
  })

  it('without retries the conflict reaches the caller as SerializationFailureError', async () => {
    await ctx.db.knex.schema.dropTableIfExists('counters')
    await ctx.db.knex.schema.createTable('counters', (t) => {
      t.integer('id').primary()
      t.integer('value').notNullable()
    })
    await ctx.db.table('counters').insert({ id: 1, value: 0 })
    let arrived = 0
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    const bump = () =>
      ctx.db.transaction(
        async () => {
          const row = await ctx.db.table<{ value: number }>('counters').where('id', 1).first()
          if (++arrived === 2) release()
          await gate
          await ctx.db.table('counters').where('id', 1).update({ value: row!.value + 1 })
        },
        { isolationLevel: 'serializable' },
      )
    const results = await Promise.allSettled([bump(), bump()])
    const failures = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason)
    expect(failures).toHaveLength(1)
    expect(failures[0]).toBeInstanceOf(SerializationFailureError)
    expect((await ctx.db.table<{ value: number }>('counters').first())!.value).toBe(1)
  })
  // SQLite and libSQL serialise writers outright, so no serialization failure can arise there.
}, { when: (supports) => supports.isolationLevels, because: 'writers are serialised outright: no serialization failure can arise' })
