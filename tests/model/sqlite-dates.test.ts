import 'reflect-metadata'
import { readFileSync } from 'node:fs'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { column, Model, QuarryError, table } from '../../src/index.js'
import { sqliteDates } from '../../src/dialects/sqlite/sqlite-dates.js'
import { forEachDialect } from '../support/databases.js'

/**
 * Dates on SQLite and libSQL, which have no date type: Quarry writes ISO-8601 UTC text
 * (`YYYY-MM-DD HH:MM:SS.SSS`) whatever the column's declared type, and reads every common stored
 * form. Tables here are made by hand, as other tools and hand-written schemas make them.
 */

const CANONICAL = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/

@table('stamps')
class Stamp extends Model {
  @column.primary() declare id: number
  @column() declare label: string | null
  @column.dateTime() declare asText: Date | null
  @column.dateTime() declare asDatetime: Date | null
  @column.dateTime() declare asInteger: Date | null
  @column.dateTime() declare asNumeric: Date | null
  @column.date() declare day: Date | null
  @column.createdAt() declare createdAt: Date
  @column.updatedAt() declare updatedAt: Date
  @column.deletedAt() declare deletedAt: Date | null
  @column() declare hits: number
}

@table('legacy_events')
class LegacyEvent extends Model {
  @column.primary() declare id: number
  @column() declare name: string
  @column.dateTime({ storeAs: 'epochMs' }) declare happenedAt: Date
  @column.date({ storeAs: 'epochMs' }) declare day: Date | null
}

const STAMPS_SQL = `create table stamps (
  id integer primary key autoincrement,
  label text unique,
  as_text text, as_datetime datetime, as_integer integer, as_numeric numeric,
  day text,
  created_at text, updated_at text, deleted_at text,
  hits integer not null default 0)`

const at = (iso: string) => new Date(iso)

/** Each stored form (as an SQL literal) and the moment it means. */
const FORMS: Array<[sql: string, expected: Date]> = [
  ["'2026-01-02 10:00:00'", at('2026-01-02T10:00:00Z')],
  ["'2026-01-02 10:00:00.123'", at('2026-01-02T10:00:00.123Z')],
  ["'2026-01-02T10:00:00.123Z'", at('2026-01-02T10:00:00.123Z')],
  ["'2026-01-02T10:00:00Z'", at('2026-01-02T10:00:00Z')],
  ["'2026-01-02 10:00:00 +00:00'", at('2026-01-02T10:00:00Z')],
  ["'2026-01-02T12:30:00+02:30'", at('2026-01-02T10:00:00Z')],
  ["'2026-01-02T05:00:00.5-0500'", at('2026-01-02T10:00:00.500Z')],
  ["'2026-01-02T10:00:00.123456'", at('2026-01-02T10:00:00.123Z')],
  ["'2026-01-02 10:00'", at('2026-01-02T10:00:00Z')],
  ["'2026-01-02'", at('2026-01-02T00:00:00Z')],
  ['1796432171922', new Date(1796432171922)],
  ['1796432171922.0', new Date(1796432171922)],
  ["'1796432171922.0'", new Date(1796432171922)],
  ["'1796432171922'", new Date(1796432171922)],
  ['1796432171', new Date(1796432171000)],
  ["'1796432171'", new Date(1796432171000)],
  ['1796432171.25', new Date(1796432171250)],
  ['-1000000000000', new Date(-1000000000000)],
  ['0', new Date(0)],
]

forEachDialect('SQLite dates', (ctx) => {
  beforeAll(async () => {
    await ctx.db.raw(STAMPS_SQL)
    await ctx.db.raw('create table legacy_events (id integer primary key autoincrement, name text not null, happened_at integer not null, day integer)')
  })
  beforeEach(async () => {
    await ctx.db.raw('delete from stamps')
    await ctx.db.raw('delete from legacy_events')
  })

  const stored = async (column: string, id: number) => {
    const [row] = await ctx.db.raw<{ t: string; v: unknown }>(`select typeof(${column}) as t, ${column} as v from stamps where id = ?`, [id])
    return row!
  }

  describe('reads', () => {
    it('every stored form, in TEXT, DATETIME, INTEGER and NUMERIC columns', async () => {
      for (const [i, [literal]] of FORMS.entries()) {
        await ctx.db.raw(
          `insert into stamps (id, as_text, as_datetime, as_integer, as_numeric) values (${i + 1}, ${literal}, ${literal}, ${literal}, ${literal})`,
        )
      }
      const stamps = await Stamp.query().orderBy('id')
      expect(stamps).toHaveLength(FORMS.length)
      for (const [i, [literal, expected]] of FORMS.entries()) {
        const stamp = stamps[i]!
        for (const property of ['asText', 'asDatetime', 'asInteger', 'asNumeric'] as const) {
          expect({ literal, property, read: stamp[property]?.toISOString() }).toEqual({ literal, property, read: expected.toISOString() })
        }
      }
    })

    it('the same forms through find(), refresh() and the column.date variant', async () => {
      await ctx.db.raw("insert into stamps (id, as_text, day) values (1, '1796432171922.0', '2026-03-04')")
      const stamp = (await Stamp.find(1))!
      expect(stamp.asText).toEqual(new Date(1796432171922))
      expect(stamp.day).toEqual(at('2026-03-04T00:00:00Z'))
      await ctx.db.raw("update stamps set as_text = '2026-01-02T10:00:00+01:00', day = '2026-03-04T23:30:00-01:00' where id = 1")
      await stamp.refresh()
      expect(stamp.asText).toEqual(at('2026-01-02T09:00:00Z'))
      expect(stamp.day).toEqual(at('2026-03-05T00:00:00Z'))
    })

    it.each([
      ["'not a date'", /Stamp\.asText \(column "as_text"\) holds the text "not a date", which is not a date; the forms read are ISO-8601/],
      ["'2026-02-30 10:00:00'", /holds the text "2026-02-30 10:00:00", which is not a date/],
      ["'2026-01-02 25:00:00'", /holds the text "2026-01-02 25:00:00"/],
      ["'2026-01-02 10:00:00 GMT'", /holds the text "2026-01-02 10:00:00 GMT"/],
      ["'02/01/2026'", /holds the text "02\/01\/2026"/],
      // Numbers in a TEXT column are stored as text.
      ['12345', /holds the text "12345", which is not a date; a number is epoch milliseconds from 1e11 up.*storeAs: 'epochMs'/],
      ['2460000.5', /holds the text "2460000\.5", which is not a date; a number is/],
      ["x'00ff'", /holds a 2-byte blob, which is not a date/],
      ["''", /holds the text "", which is not a date/],
    ])('an unparsable stored value %s is a QuarryError naming the column and the form', async (literal, message) => {
      await ctx.db.raw(`insert into stamps (id, as_text) values (1, ${literal})`)
      const error = await Stamp.query().first().catch((e: unknown) => e)
      expect(error).toBeInstanceOf(QuarryError)
      expect((error as Error).message).toMatch(message)
      await expect(Stamp.find(1)).rejects.toThrow(message)
    })
  })

  describe('writes', () => {
    it('ISO-8601 UTC text whatever the declared type, and SQLite\'s date functions read it', async () => {
      const when = at('2026-07-08T09:10:11.012Z')
      const stamp = await Stamp.create({ label: 'w', asText: when, asDatetime: when, asInteger: when, asNumeric: when, day: at('2026-07-08T23:59:00Z') })
      for (const column of ['as_text', 'as_datetime', 'as_integer', 'as_numeric']) {
        expect(await stored(column, stamp.id)).toEqual({ t: 'text', v: '2026-07-08 09:10:11.012' })
      }
      expect(await stored('day', stamp.id)).toEqual({ t: 'text', v: '2026-07-08' })
      const [sql] = await ctx.db.raw<Record<string, unknown>>(
        "select date(as_integer) as d, strftime('%Y %H:%M:%f', as_numeric) as f, julianday(as_text) - julianday(day) as j, unixepoch(as_datetime) as u from stamps where id = ?",
        [stamp.id],
      )
      expect(sql).toEqual({ d: '2026-07-08', f: '2026 09:10:11.012', j: expect.closeTo(0.382, 3), u: Math.floor(when.getTime() / 1000) })
      const read = (await Stamp.find(stamp.id))!
      for (const property of ['asText', 'asDatetime', 'asInteger', 'asNumeric'] as const) expect(read[property]).toEqual(when)
      expect(read.day).toEqual(at('2026-07-08T00:00:00Z'))
    })

    it('every timestamp the ORM sets: create, save, touch, delete, mass update, insert, upsert, increment', async () => {
      const check = async (id: number, columns: string[]) => {
        for (const column of columns) {
          const { t, v } = await stored(column, id)
          expect({ column, t, canonical: CANONICAL.test(String(v)) }).toEqual({ column, t: 'text', canonical: true })
        }
      }
      const stamp = await Stamp.create({ label: 'a' })
      await check(stamp.id, ['created_at', 'updated_at'])
      stamp.label = 'b'
      await stamp.save()
      await stamp.touch()
      await check(stamp.id, ['created_at', 'updated_at'])
      await stamp.delete()
      await check(stamp.id, ['deleted_at', 'updated_at'])
      await stamp.restore()
      await Stamp.query().where('id', stamp.id).update({ asText: at('2026-01-01T00:00:00Z') })
      await check(stamp.id, ['updated_at', 'as_text'])
      await Stamp.query().where('id', stamp.id).delete()
      await check(stamp.id, ['deleted_at'])
      await Stamp.insert([{ label: 'i1', asText: at('2026-01-01T00:00:00Z') }, { label: 'i2' }])
      await Stamp.upsert([{ label: 'i1', asInteger: at('2027-01-01T00:00:00Z') }, { label: 'u3' }], 'label', ['asInteger'])
      const rows = await ctx.db.table('stamps').whereIn('label', ['i1', 'i2', 'u3']).orderBy('label').select('id')
      for (const { id } of rows) await check(id as number, ['created_at', 'updated_at'])
      await check(rows[0]!.id as number, ['as_text', 'as_integer'])
      const i1 = (await Stamp.findBy('label', 'i1'))!
      expect(i1.asInteger).toEqual(at('2027-01-01T00:00:00Z'))
      expect(i1.asText).toEqual(at('2026-01-01T00:00:00Z'))
      await ctx.db.raw("update stamps set updated_at = '1796432171922.0' where id = ?", [i1.id])
      await i1.increment('hits')
      await check(i1.id, ['updated_at', 'as_text'])
      expect((await Stamp.find(i1.id))!.updatedAt).toEqual(i1.updatedAt)
    })

    it('query bindings: where, whereBetween, whereIn and db.table() compare in the stored form', async () => {
      const base = Date.UTC(2026, 0, 1)
      for (let i = 0; i < 6; i++) await Stamp.create({ label: `q${i}`, asDatetime: new Date(base + i * 3_600_000 + 1) })
      const labels = (stamps: Stamp[]) => stamps.map((s) => s.label)
      expect(labels(await Stamp.query().where('asDatetime', '>', new Date(base + 3 * 3_600_000)).orderBy('id'))).toEqual(['q3', 'q4', 'q5'])
      expect(labels(await Stamp.query().where('asDatetime', '<=', new Date(base + 1)).orderBy('id'))).toEqual(['q0'])
      expect(labels(await Stamp.query().where('asDatetime', new Date(base + 2 * 3_600_000 + 1)))).toEqual(['q2'])
      expect(labels(await Stamp.query().where({ asDatetime: new Date(base + 3_600_001) }))).toEqual(['q1'])
      const range: [Date, Date] = [new Date(base + 3_600_000), new Date(base + 3 * 3_600_000 + 1)]
      expect(labels(await Stamp.query().whereBetween('asDatetime', range).orderBy('id'))).toEqual(['q1', 'q2', 'q3'])
      expect(labels(await Stamp.query().whereIn('asDatetime', [new Date(base + 1), new Date(base + 5 * 3_600_000 + 1)]).orderBy('id'))).toEqual(['q0', 'q5'])
      const created = (await Stamp.findBy('label', 'q0'))!.createdAt
      expect((await Stamp.query().where('createdAt', '>=', created).count())).toBe(6)
      expect((await ctx.db.table('stamps').where('as_datetime', '>', new Date(base + 4 * 3_600_000)).count({ n: '*' }))[0]).toEqual({ n: 2 })
    })

    it('an invalid Date or a year SQLite text cannot hold is a QuarryError, and nothing is written', async () => {
      await expect(Stamp.create({ label: 'bad', asText: new Date(Number.NaN) })).rejects.toThrow(QuarryError)
      await expect(Stamp.create({ label: 'far', asText: new Date(Date.UTC(10000, 0, 1)) })).rejects.toThrow(/years 0000-9999.*storeAs: 'epochMs'/)
      expect(await Stamp.query().count()).toBe(0)
      const early = await Stamp.create({ label: 'early', asText: at('0050-06-06T07:08:09.010Z') })
      expect(await stored('as_text', early.id)).toEqual({ t: 'text', v: '0050-06-06 07:08:09.010' })
      expect((await Stamp.find(early.id))!.asText!.toISOString()).toBe('0050-06-06T07:08:09.010Z')
    })
  })

  describe('ordering and comparing', () => {
    it('text Quarry writes sorts and compares in time order, with cursor pagination on a timestamp', async () => {
      const base = Date.UTC(2026, 4, 1)
      // Out of insertion order, across days and years, with ties broken by the key.
      const offsets = [5, -400, 3, 3, 0.001, 10_000, -1, 3, 47.5, 0]
      for (const [i, hours] of offsets.entries()) await Stamp.create({ label: `c${i}`, asNumeric: new Date(base + hours * 3_600_000) })
      const expected = [...offsets.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0]).map(([i]) => `c${i}`)
      const byOrder = await Stamp.query().orderBy('asNumeric', 'desc').orderBy('id', 'desc')
      expect(byOrder.map((s) => s.label)).toEqual(expected)
      const pages: string[] = []
      let cursor: string | null = null
      do {
        const page = await Stamp.query().orderBy('asNumeric', 'desc').cursorPaginate(3, cursor)
        pages.push(...page.data.map((s) => s.label!))
        cursor = page.nextCursor
      } while (cursor)
      expect(pages).toEqual(expected)
      const second = await Stamp.query().orderBy('asNumeric', 'desc').cursorPaginate(3)
      const next = await Stamp.query().orderBy('asNumeric', 'desc').cursorPaginate(3, second.nextCursor)
      const back = await Stamp.query().orderBy('asNumeric', 'desc').cursorPaginate(3, next.prevCursor)
      expect(back.data.map((s) => s.label)).toEqual(expected.slice(0, 3))
    })

    it('a column of mixed forms reads right, and the documented UPDATE makes it sort and compare right', async () => {
      // Old Quarry numbers (in a TEXT column they read '….0'), other tools' ISO text, seconds, Quarry's text.
      const forms: Array<[string, string]> = [
        ['m0', '1796432171922.0'],
        ['m1', "'2026-12-05T00:56:11.000Z'"],
        ['m2', "'2026-12-05 02:56:12+02:00'"],
        ['m3', '1796432170'],
        ['m4', "'2026-12-05 00:56:11.500'"],
        ['m5', "'1796432171923'"],
        ['m6', "'2026-12-05T00:56:11.9'"],
        ['m7', '-1000000000000'],
      ]
      for (const [label, literal] of forms) await ctx.db.raw(`insert into stamps (label, as_text, as_integer) values ('${label}', ${literal}, ${literal})`)
      const chronological = ['m7', 'm3', 'm1', 'm4', 'm6', 'm0', 'm5', 'm2']
      const all = await Stamp.query()
      const byTime = [...all].sort((a, b) => a.asText!.getTime() - b.asText!.getTime())
      expect(byTime.map((s) => s.label)).toEqual(chronological)
      expect(all.every((s) => s.asText!.getTime() === s.asInteger!.getTime())).toBe(true)

      for (const column of ['as_text', 'as_integer']) await ctx.db.raw(normalizingUpdate('stamps', column))
      for (const column of ['as_text', 'as_integer']) {
        const texts = await ctx.db.raw<{ v: string; t: string }>(`select ${column} as v, typeof(${column}) as t from stamps`)
        expect(texts.every(({ v, t }) => t === 'text' && CANONICAL.test(v))).toBe(true)
      }
      for (const property of ['asText', 'asInteger'] as const) {
        expect((await Stamp.query().orderBy(property)).map((s) => s.label)).toEqual(chronological)
        const after = await Stamp.query().where(property, '>', new Date(1796432171500)).orderBy(property)
        expect(after.map((s) => s.label)).toEqual(['m6', 'm0', 'm5', 'm2'])
      }
      // The moments are unchanged by the rewrite.
      const again = await Stamp.query()
      for (const stamp of again) expect(stamp.asText).toEqual(all.find((s) => s.id === stamp.id)!.asText)
    })
  })

  describe("storeAs: 'epochMs'", () => {
    it('writes, binds, reads, orders and pages by epoch milliseconds', async () => {
      const base = Date.UTC(2026, 0, 1)
      await LegacyEvent.create({ name: 'a', happenedAt: new Date(base + 2000), day: at('2026-02-03T10:00:00Z') })
      await LegacyEvent.insert([{ name: 'b', happenedAt: new Date(base + 1000) }, { name: 'c', happenedAt: new Date(base + 3000) }])
      // A row another tool wrote the same way, and a small number that only this option makes readable.
      await ctx.db.raw('insert into legacy_events (name, happened_at) values (?, ?)', ['d', 5])
      const [row] = await ctx.db.raw<Record<string, unknown>>("select typeof(happened_at) as t, happened_at as v, day from legacy_events where name = 'a'")
      expect(row).toEqual({ t: 'integer', v: base + 2000, day: Date.UTC(2026, 1, 3) })
      const a = (await LegacyEvent.findBy('name', 'a'))!
      expect(a.happenedAt).toEqual(new Date(base + 2000))
      expect(a.day).toEqual(at('2026-02-03T00:00:00Z'))
      expect((await LegacyEvent.findBy('name', 'd'))!.happenedAt).toEqual(new Date(5))
      const names = (events: LegacyEvent[]) => events.map((e) => e.name)
      expect(names(await LegacyEvent.query().where('happenedAt', '>', new Date(base + 1500)).orderBy('happenedAt'))).toEqual(['a', 'c'])
      expect(names(await LegacyEvent.query().where('day', at('2026-02-03T00:00:00Z')))).toEqual(['a'])
      const first = await LegacyEvent.query().orderBy('happenedAt').cursorPaginate(2)
      const second = await LegacyEvent.query().orderBy('happenedAt').cursorPaginate(2, first.nextCursor)
      expect([...names(first.data), ...names(second.data)]).toEqual(['d', 'b', 'a', 'c'])
      expect(() => column.dateTime({ storeAs: 'epochSeconds' as 'epochMs' })).toThrow(/storeAs \}\) must be 'epochMs' or left out, not "epochSeconds"/)
    })
  })
}, { only: ['sqlite', 'libsql'] })

/** The normalising UPDATE of docs/models.md, for `table` and `column`, as the docs give it. */
function normalizingUpdate(tableName: string, columnName: string): string {
  const docs = readDocs()
  const block = /```sql\n(update my_table[\s\S]*?)```/i.exec(docs)
  if (!block) throw new Error('docs/models.md has no ```sql block starting "UPDATE my_table"')
  return block[1]!.replaceAll('my_table', tableName).replaceAll('my_column', columnName)
}

function readDocs(): string {
  return readFileSync(new URL('../../docs/models.md', import.meta.url), 'utf8')
}

describe('SQLite date text without a database', () => {
  it('formats and parses the edges exactly', () => {
    const write = sqliteDates.write as (d: Date) => string
    expect(write(at('1999-12-31T23:59:59.999Z'))).toBe('1999-12-31 23:59:59.999')
    expect(write(at('0000-01-01T00:00:00.000Z'))).toBe('0000-01-01 00:00:00.000')
    expect(sqliteDates.read('2024-02-29 00:00:00', 'auto')).toEqual(at('2024-02-29T00:00:00Z'))
    expect(sqliteDates.read('2023-02-29 00:00:00', 'auto')).toBeUndefined()
    expect(sqliteDates.read('2026-01-02t10:00:00z', 'auto')).toEqual(at('2026-01-02T10:00:00Z'))
    expect(sqliteDates.read('2026-01-02T10:00:00+02', 'auto')).toEqual(at('2026-01-02T08:00:00Z'))
    expect(sqliteDates.read('2026-01-02T10:00:00.', 'auto')).toBeUndefined()
    expect(sqliteDates.read('2026-01-02T10:00:00+2:00', 'auto')).toBeUndefined()
    expect(sqliteDates.read(99_999_999, 'auto')).toBeUndefined()
    expect(sqliteDates.read(100_000_000, 'auto')).toEqual(new Date(100_000_000_000))
    expect(sqliteDates.read(99_999_999_999, 'auto')).toEqual(new Date(99_999_999_999_000))
    expect(sqliteDates.read(100_000_000_000, 'auto')).toEqual(new Date(100_000_000_000))
    expect(sqliteDates.read(5, 'ms')).toEqual(new Date(5))
    expect(sqliteDates.read(9e15, 'ms')).toBeUndefined()
    expect(sqliteDates.read('1e12', 'auto')).toEqual(new Date(1e12))
    expect(sqliteDates.read(Number.NaN, 'auto')).toBeUndefined()
  })
})
