import { beforeAll, expect, it } from 'vitest'
import { forEachDialect } from '../support/databases.js'
import { createSchema, Sample, User } from '../model/models.js'

forEachDialect('query builder: aggregates', (ctx) => {
  beforeAll(async () => {
    await createSchema(ctx.db)
    await User.insert([
      { email: 'a@x.io', age: 10, active: true },
      { email: 'b@x.io', age: 20, active: true },
      { email: 'c@x.io', age: 20, active: false },
      { email: 'd@x.io', age: null, active: true },
    ])
    await Sample.insert([{ price: '1.10', big: 4_000_000_000 }, { price: '2.25', big: 4_000_000_000 }])
  })

  it('count, sum, avg, min, max are numbers on every database', async () => {
    const results = [
      await User.query().count(),
      await User.query().count('age'),
      await User.query().sum('age'),
      await User.query().avg('age'),
      await User.query().min('age'),
      await User.query().max('age'),
    ]
    for (const value of results) expect(typeof value).toBe('number')
    expect(results).toEqual([4, 3, 50, expect.any(Number), 10, 20])
    // MySQL computes AVG of integers to 4 decimal places (div_precision_increment).
    expect(results[3]).toBeCloseTo(50 / 3, 3)
  })

  it('sums of decimals and of big integers beyond 32 bits', async () => {
    expect(await Sample.query().sum('price')).toBeCloseTo(3.35, 10)
    expect(await Sample.query().sum('big')).toBe(8_000_000_000)
    expect(await Sample.query().avg('price')).toBeCloseTo(1.675, 10)
  })

  it('an empty set: count and sum are 0; avg, min and max are null', async () => {
    const none = () => User.query().where('age', '>', 1000)
    expect(await none().count()).toBe(0)
    expect(await none().sum('age')).toBe(0)
    expect(await none().avg('age')).toBeNull()
    expect(await none().min('age')).toBeNull()
    expect(await none().max('age')).toBeNull()
  })

  it('conditions apply; limit, offset, distinct and groupBy are honoured by wrapping', async () => {
    expect(await User.query().where('active', true).count()).toBe(3)
    expect(await User.query().orderBy('email').limit(2).count()).toBe(2)
    expect(await User.query().orderBy('email').offset(3).count()).toBe(1)
    expect(await User.query().orderBy('email').limit(2).sum('age')).toBe(30)
    expect(await User.query().distinct('age').count()).toBe(3)
    expect(await User.query().whereNotNull('age').groupBy('age').count()).toBe(2)
    await expect(User.query().groupBy('age').sum('age')).rejects.toThrow(/grouped query/)
  })

  it('min/max of a timestamp is its epoch milliseconds on every database', async () => {
    const users = await User.query().orderBy('id')
    const times = users.map((u) => u.createdAt.getTime())
    expect(await User.query().min('createdAt')).toBe(Math.min(...times))
    expect(await User.query().max('createdAt')).toBe(Math.max(...times))
  })

  it('min/max of a text column is refused rather than returned as a wrong number', async () => {
    await expect(User.query().max('email')).rejects.toThrow(/not a number/)
  })
})
