import { beforeEach, expect, expectTypeOf, it } from 'vitest'
import { QuarryError, type QueryEvent, UnknownColumnError } from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'
import { createSchema, truncate, User } from './models.js'

// §8: `pluck(valueCol, keyCol)` → `{ [key]: value }`; `increment(col, by, extra)` writes `extra` too.
forEachDialect('pluck with a key, increment with extra columns', (ctx) => {
  let ready = false
  beforeEach(async () => {
    if (!ready) await createSchema(ctx.db)
    ready = true
    await truncate(ctx.db, 'users')
    await User.insert([
      { email: 'ann@x.io', name: 'Ann', age: 25, active: true },
      { email: 'bob@x.io', name: 'Bob', age: 41, active: false },
      { email: 'cy@x.io', name: null, age: 67, active: true },
    ])
  })

  async function sent(fn: () => unknown): Promise<QueryEvent[]> {
    const events: QueryEvent[] = []
    const off = ctx.db.on('query', (e) => events.push(e))
    try {
      await fn()
    } finally {
      off()
    }
    return events
  }

  it('pluck(value, key) is an object keyed by the key column; pluck(value) stays an array', async () => {
    const ids = Object.fromEntries((await User.query().select('id', 'email')).map((u) => [u.email, u.id]))
    const byId = await User.query().orderBy('id').pluck('email', 'id')
    expectTypeOf(byId).toEqualTypeOf<Record<string, string>>()
    expect(byId).toEqual({ [ids['ann@x.io']!]: 'ann@x.io', [ids['bob@x.io']!]: 'bob@x.io', [ids['cy@x.io']!]: 'cy@x.io' })
    expect(await User.query().where('active', true).pluck('age', 'email')).toEqual({ 'ann@x.io': 25, 'cy@x.io': 67 })
    // Property names map to columns; a later row wins a repeated key; null values are kept.
    expect(await User.query().orderBy('age').pluck('name', 'active')).toEqual({ [String(await activeKey(true))]: null, [String(await activeKey(false))]: 'Bob' })
    expect(await User.query().where('age', '>', 100).pluck('email', 'id')).toEqual({})
    const list = await User.query().orderBy('age').pluck('email')
    expectTypeOf(list).toEqualTypeOf<string[]>()
    expect(list).toEqual(['ann@x.io', 'bob@x.io', 'cy@x.io'])
  })

  it('pluck() reads values as the model holds them: booleans, JSON and dates through their casts', async () => {
    const when = new Date('2026-01-02T10:00:00.123Z')
    await User.query().where('email', 'ann@x.io').update({ settings: { theme: 'dark' }, lastLoginAt: when })
    const active = await User.query().orderBy('age').pluck('active')
    expectTypeOf(active).toEqualTypeOf<boolean[]>()
    expect(active).toEqual([true, false, true])
    expect(await User.query().orderBy('age').pluck('settings')).toEqual([{ theme: 'dark' }, null, null])
    const logins = await User.query().orderBy('age').pluck('lastLoginAt', 'email')
    expect(logins['ann@x.io']).toBeInstanceOf(Date)
    expect((logins['ann@x.io'] as Date).getTime()).toBe(when.getTime())
    expect(logins['bob@x.io']).toBeNull()
  })

  /** How the database returns a boolean column (1/0, or true/false). */
  async function activeKey(value: boolean): Promise<unknown> {
    const [row] = await ctx.db.table('users').where('active', value).select('active').limit(1)
    return row!.active
  }

  it('pluck with an unknown column is UnknownColumnError before any SQL', async () => {
    const statements = await sent(async () => {
      await expect(User.query().pluck('email', 'nope' as never)).rejects.toThrow(UnknownColumnError)
      await expect(User.query().pluck('nope' as never, 'id')).rejects.toThrow(UnknownColumnError)
    })
    expect(statements).toEqual([])
  })

  it('model.increment(col, by, extra) writes extra in the same statement, by property name, with casts', async () => {
    const ann = (await User.findBy('email', 'ann@x.io'))!
    const before = ann.updatedAt
    const at = new Date('2026-03-04T05:06:07.000Z')
    const statements = await sent(() => ann.increment('age', 2, { name: 'Annie', lastLoginAt: at, settings: { theme: 'dark' } }))
    expect(statements).toHaveLength(1)
    expect(statements[0]!.sql).toMatch(/^update/i)
    expect(ann.age).toBe(27)
    expect(ann.name).toBe('Annie')
    expect(ann.lastLoginAt).toEqual(at)
    expect(ann.isDirty()).toBe(false)
    expect(ann.wasChanged('name')).toBe(true)
    const stored = (await User.find(ann.id))!
    expect([stored.age, stored.name, stored.lastLoginAt?.toISOString(), stored.settings]).toEqual([27, 'Annie', at.toISOString(), { theme: 'dark' }])
    expect(stored.updatedAt.getTime()).toBeGreaterThanOrEqual(before.getTime())

    await ann.decrement('age', 5, { active: false })
    const again = (await User.find(ann.id))!
    expect([ann.age, again.age, again.active]).toEqual([22, 22, false])
    // A given updatedAt is written as given.
    const stamp = new Date('2020-01-01T00:00:00.000Z')
    await ann.increment('age', 1, { updatedAt: stamp })
    expect((await User.find(ann.id))!.updatedAt.toISOString()).toBe(stamp.toISOString())
  })

  it('model.increment with bad extra columns rejects before any SQL and changes nothing', async () => {
    const bob = (await User.findBy('email', 'bob@x.io'))!
    const statements = await sent(async () => {
      await expect(bob.increment('age', 1, { nope: 1 } as never)).rejects.toThrow(UnknownColumnError)
      await expect(bob.increment('age', 1, { nope: 1 } as never)).rejects.toThrow(/nope/)
      await expect(bob.increment('age', 1, { age: 3 })).rejects.toThrow(/being incremented/)
      await expect(bob.increment('age', 1, 'name' as never)).rejects.toThrow(QuarryError)
      await expect(bob.decrement('age', Number.NaN, { name: 'x' })).rejects.toThrow(/finite number/)
    })
    expect(statements).toEqual([])
    expect([bob.age, bob.name]).toEqual([41, 'Bob'])
    expect((await User.find(bob.id))!.age).toBe(41)
  })

  it('query increment/decrement: every matching row, extra columns, updatedAt; bad input before SQL', async () => {
    const at = new Date('2026-05-06T07:08:09.000Z')
    expect(await User.query().where('active', true).increment('age', 10, { lastLoginAt: at })).toBe(2)
    const rows = await User.query().orderBy('email')
    expect(rows.map((u) => [u.email, u.age, u.lastLoginAt?.toISOString() ?? null])).toEqual([
      ['ann@x.io', 35, at.toISOString()],
      ['bob@x.io', 41, null],
      ['cy@x.io', 77, at.toISOString()],
    ])
    expect(await User.query().where('email', 'bob@x.io').decrement('age', 1, { name: 'Robert' })).toBe(1)
    const bob = (await User.findBy('email', 'bob@x.io'))!
    expect([bob.age, bob.name]).toEqual([40, 'Robert'])
    expect(await User.query().where('email', 'ann@x.io').increment('age')).toBe(1)
    expect((await User.findBy('email', 'ann@x.io'))!.age).toBe(36)

    const statements = await sent(async () => {
      await expect(User.query().increment('age', 1, { bogus: 2 } as never)).rejects.toThrow(UnknownColumnError)
      await expect(User.query().increment('nope' as never, 1)).rejects.toThrow(UnknownColumnError)
      await expect(User.query().increment('age', 1, { age: 2 })).rejects.toThrow(/being incremented/)
      await expect(User.query().decrement('age', Infinity)).rejects.toThrow(/finite number/)
    })
    expect(statements).toEqual([])
  })
})
