import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type QueryEvent } from '../../src/index.js'
import { booleanCast, dateCast, dateTimeCast, decimalCast } from '../../src/model/casts.js'
import { forEachDialect } from '../support/databases.js'
import { createSchema, Sample, truncate } from './models.js'

forEachDialect('casts and round trips', (ctx) => {
  beforeAll(async () => {
    await createSchema(ctx.db)
  })
  beforeEach(async () => {
    await truncate(ctx.db, 'samples')
  })

  /** Saves a sample, reads it back through a fresh query, and returns both. */
  async function roundTrip(attributes: Partial<Sample>): Promise<Sample> {
    const saved = await Sample.create(attributes)
    return Sample.findOrFail(saved.id)
  }

  it('unicode, empty strings and nulls come back as they went in', async () => {
    const text = 'héllo wörld — 中文 🎉 עברית \u00a0 e\u0301'
    const back = await roundTrip({ label: text, body: '', count: null, data: null, flag: null, day: null, at: null, price: null, tags: null })
    expect(back.label).toBe(text)
    expect(back.body).toBe('')
    for (const key of ['count', 'data', 'flag', 'day', 'at', 'price', 'tags'] as const) expect(back[key]).toBeNull()
  })

  it('integers at the 32-bit limits and the largest safe integer come back as numbers', async () => {
    const low = await roundTrip({ count: -2147483648, big: Number.MAX_SAFE_INTEGER })
    expect(low.count).toBe(-2147483648)
    expect(low.big).toBe(Number.MAX_SAFE_INTEGER)
    const high = await roundTrip({ count: 2147483647, big: -Number.MAX_SAFE_INTEGER })
    expect(high.count).toBe(2147483647)
    expect(high.big).toBe(-Number.MAX_SAFE_INTEGER)
  })

  it('a bigint beyond 2^53 comes back exact, as a string, on every dialect', async () => {
    const back = await roundTrip({ big: '9223372036854775807' })
    expect(back.big).toBe('9223372036854775807')
    const negative = await roundTrip({ big: '-9223372036854775808' })
    expect(negative.big).toBe('-9223372036854775808')
  })

  it('nested JSON, arrays, empty containers and scalars', async () => {
    const nested = { a: [1, { b: 'ü "quoted"', c: null, d: [[]] }], e: true, f: 1.5, g: {}, h: 'x'.repeat(1000) }
    expect((await roundTrip({ data: nested })).data).toEqual(nested)
    expect((await roundTrip({ data: [1, 'two', { three: 3 }] })).data).toEqual([1, 'two', { three: 3 }])
    expect((await roundTrip({ data: [] })).data).toEqual([])
    expect((await roundTrip({ data: {} })).data).toEqual({})
    expect((await roundTrip({ data: 42 })).data).toBe(42)
    expect((await roundTrip({ data: false })).data).toBe(false)
    expect((await roundTrip({ data: 'plain words' })).data).toBe('plain words')
  })

  it('dateTime keeps the millisecond; date keeps the calendar day; both are Dates', async () => {
    const at = new Date('2024-02-29T23:59:59.123Z')
    const day = new Date(Date.UTC(2024, 1, 29))
    const back = await roundTrip({ at, day })
    expect(back.at).toBeInstanceOf(Date)
    expect(back.at!.getTime()).toBe(at.getTime())
    expect(back.day).toBeInstanceOf(Date)
    expect(back.day!.toISOString()).toBe('2024-02-29T00:00:00.000Z')
    const epoch = await roundTrip({ at: new Date(1), day: new Date(Date.UTC(1970, 0, 1)) })
    expect(epoch.at!.getTime()).toBe(1)
    expect(epoch.day!.toISOString().slice(0, 10)).toBe('1970-01-01')
    // Assigning text or a timestamp gives a Date at once.
    const sample = new Sample()
    sample.at = '2020-01-02T03:04:05.006Z' as unknown as Date
    expect(sample.at).toEqual(new Date('2020-01-02T03:04:05.006Z'))
    sample.day = '2021-12-31' as unknown as Date
    expect(sample.day!.toISOString()).toBe('2021-12-31T00:00:00.000Z')
  })

  it('booleans are booleans whatever the storage', async () => {
    expect((await roundTrip({ flag: true })).flag).toBe(true)
    expect((await roundTrip({ flag: false })).flag).toBe(false)
    const filtered = await Sample.query().where('flag', true)
    expect(filtered.map((s) => s.flag)).toEqual([true])
  })

  it('decimals are exact strings to their scale', async () => {
    for (const price of ['12345678.90', '-0.01', '0.00', '999999999999.99']) {
      expect((await roundTrip({ price })).price).toBe(price)
    }
    expect((await roundTrip({ price: 3.5 as unknown as string })).price).toBe('3.50')
  })

  it('a custom cast converts both ways', async () => {
    const back = await roundTrip({ tags: ['red', 'green'] })
    expect(back.tags).toEqual(['red', 'green'])
    const [row] = await ctx.db.table('samples').where('id', back.id)
    expect(row!.tags).toBe('red,green')
  })

  it('a value read back equals the value saved, for every cast at once, and the copy is not dirty', async () => {
    const attributes = {
      label: 'all',
      body: 'b',
      count: 7,
      big: 123456789012,
      data: { k: ['v'] },
      flag: true,
      day: new Date(Date.UTC(2023, 6, 4)),
      at: new Date('2023-07-04T12:34:56.789Z'),
      price: '1.23',
      tags: ['t'],
    }
    const back = await roundTrip(attributes)
    for (const [key, value] of Object.entries(attributes)) expect(back[key as keyof Sample]).toEqual(value)
    expect(back.isDirty()).toBe(false)
    back.at = new Date('2023-07-04T12:34:56.789Z')
    back.day = new Date(Date.UTC(2023, 6, 4))
    expect(back.isDirty()).toBe(false)
  })

  const hostile = [
    `Robert'); DROP TABLE samples; --`,
    `" OR "1"="1`,
    '` OR 1=1 -- ',
    `'; select pg_sleep(1); --`,
    '\\\' \\" \\\\',
    '?? ? $1 :name @p1 %s',
    '/* comment */ -- trailing',
    'ünïcödé 🎉 \u202e reversed',
  ]

  it('hostile strings round-trip unchanged and only ever travel as bindings', async () => {
    const events: QueryEvent[] = []
    const off = ctx.db.on('query', (e) => events.push(e))
    try {
      for (const value of hostile) {
        const saved = await Sample.create({ label: value, body: value, data: { value }, tags: [value.replace(/,/g, '')] })
        const found = await Sample.query().where('label', value).firstOrFail()
        expect(found.id).toBe(saved.id)
        expect(found.label).toBe(value)
        expect(found.body).toBe(value)
        expect(found.data).toEqual({ value })
        expect(await Sample.query().whereIn('label', [value]).count()).toBe(1)
        expect(await Sample.query().whereLike('body', value.replace(/[%_\\]/g, '')).count()).toBeLessThanOrEqual(1)
      }
    } finally {
      off()
    }
    expect(await Sample.query().count()).toBe(hostile.length)
    for (const event of events) {
      for (const value of hostile) expect(event.sql).not.toContain(value)
    }
    expect(events.some((e) => e.bindings.includes(hostile[0]!))).toBe(true)
  })

  it('very long strings round-trip unchanged', async () => {
    const long = 'long ✓ '.repeat(40_000)
    const back = await roundTrip({ body: long })
    expect(back.body).toBe(long)
    expect(back.body!.length).toBe(long.length)
  })

  it('NUL bytes round-trip where the column type can hold them, and are refused where not', async () => {
    const nul = 'before\u0000after'
    // PostgreSQL text cannot hold U+0000, and @libsql/client truncates it when reading: both refuse
    // the value with an error, and nothing is written.
    const refusesNul = ctx.dialect === 'postgres' || ctx.dialect === 'libsql'
    if (refusesNul) {
      await expect(Sample.create({ label: nul })).rejects.toThrow(/U\+0000|0x00|invalid byte sequence/)
      expect(await Sample.query().count()).toBe(0)
    } else {
      expect((await roundTrip({ label: nul })).label).toBe(nul)
    }
  })
})

describe('casts without a database', () => {
  it('a calendar date is read by the day the driver meant, in any time zone', () => {
    const zone = process.env.TZ
    try {
      for (const tz of ['Asia/Tokyo', 'America/New_York', 'UTC', 'Pacific/Kiritimati', 'Pacific/Pago_Pago']) {
        process.env.TZ = tz
        // pg gives a date column as local midnight; mysql2 (timezone Z) as UTC midnight; SQLite as text.
        for (const given of [new Date(2024, 1, 29), new Date(Date.UTC(2024, 1, 29)), '2024-02-29']) {
          expect((dateCast.get(given) as Date).toISOString(), `${tz}: ${String(given)}`).toBe('2024-02-29T00:00:00.000Z')
        }
        expect(dateCast.set(new Date(Date.UTC(2024, 1, 29)))).toBe('2024-02-29')
      }
    } finally {
      if (zone === undefined) delete process.env.TZ
      else process.env.TZ = zone
    }
  })

  it('dateTime reads epoch milliseconds, Dates and text (text without an offset is UTC); junk is an error', () => {
    expect(dateTimeCast.get(1_700_000_000_123)).toEqual(new Date(1_700_000_000_123))
    expect(dateTimeCast.get('2024-01-02 03:04:05.678')).toEqual(new Date('2024-01-02T03:04:05.678Z'))
    expect(dateTimeCast.get('2024-01-02T03:04:05+02:00')).toEqual(new Date('2024-01-02T01:04:05Z'))
    expect(() => dateTimeCast.get('not a date')).toThrow(/Cannot read "not a date" as a date/)
  })

  it('decimals: exact strings by default, numbers with asNumber; booleans from every storage', () => {
    expect(decimalCast({ scale: 2 }).get(12.5)).toBe('12.50')
    expect(decimalCast().get('12.50')).toBe('12.50')
    expect(decimalCast({ asNumber: true }).get('12.50')).toBe(12.5)
    for (const falsy of [0, '0', false, 'false', 'f', 0n]) expect(booleanCast.get(falsy)).toBe(false)
    for (const truthy of [1, '1', true, 't', 1n]) expect(booleanCast.get(truthy)).toBe(true)
  })
})
