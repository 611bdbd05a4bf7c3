import { beforeAll, beforeEach, expect, it } from 'vitest'
import { column, Model, type QueryEvent, table, UniqueViolationError } from '../../src/index.js'
import { returnsFromInsert } from '../../src/dialects/mysql/mysql-insert.js'
import { forEachDialect } from '../support/databases.js'

@table('members')
class Member extends Model {
  @column.primary() declare id: number
  @column() declare email: string
  @column() declare bio: string | null
  @column() declare image: string | null
  @column.boolean() declare active: boolean
  @column() declare views: number
  @column() declare status: string | null
  @column.json() declare settings: Record<string, unknown> | null
  @column.createdAt() declare createdAt: Date
}

/** A key the app assigns: nothing to read back but the defaults. */
@table('badges')
class Badge extends Model {
  @column.primary({ type: 'uuid' }) declare id: string
  @column() declare label: string
  @column() declare level: number
  @column() declare note: string | null
}

// §8: a model returned by create()/save() never reads `undefined` for a declared column: what the
// database filled is read back in the same INSERT where the dialect returns rows from one
// (PostgreSQL, SQLite, libSQL, MariaDB ≥ 10.5), else the column reads null until refresh().
forEachDialect('create() reads back the columns it was not given', (ctx) => {
  let readsBack = true

  beforeAll(async () => {
    await ctx.db.knex.schema.createTable('members', (t) => {
      t.increments('id')
      t.string('email').notNullable().unique()
      t.string('bio').nullable()
      t.string('image').nullable()
      t.boolean('active').notNullable().defaultTo(true)
      t.integer('views').notNullable().defaultTo(7)
      t.string('status').nullable().defaultTo('draft')
      t.json('settings').nullable()
      t.datetime('created_at', { precision: 3 }).notNullable()
    })
    await ctx.db.knex.schema.createTable('badges', (t) => {
      t.string('id', 36).primary()
      t.string('label').notNullable()
      t.integer('level').notNullable().defaultTo(3)
      t.string('note').nullable()
    })
    if (ctx.dialect === 'mysql') {
      const [row] = await ctx.db.raw<{ version: string }>('select version() as version')
      readsBack = returnsFromInsert(row!.version)
    }
  })

  beforeEach(async () => {
    await ctx.db.table('members').delete()
    await ctx.db.table('badges').delete()
  })

  async function sent(fn: () => Promise<unknown>): Promise<QueryEvent[]> {
    const events: QueryEvent[] = []
    const off = ctx.db.on('query', (e) => events.push(e))
    try {
      await fn()
    } finally {
      off()
    }
    return events
  }

  it('no declared column reads undefined after create(), and toJSON() has them all', async () => {
    const member = await Member.create({ email: 'a@x.io' })
    for (const property of ['id', 'email', 'bio', 'image', 'active', 'views', 'status', 'settings', 'createdAt'] as const) {
      expect(member[property], property).not.toBeUndefined()
    }
    expect([member.bio, member.image, member.settings]).toEqual([null, null, null])
    const json = member.toJSON()
    expect(Object.keys(json).sort()).toEqual(['active', 'bio', 'createdAt', 'email', 'id', 'image', 'settings', 'status', 'views'])
    expect(json.bio).toBeNull()
    if (readsBack) {
      // The defaults, cast as a read casts them (a boolean, not 1).
      expect([member.active, member.views, member.status]).toEqual([true, 7, 'draft'])
    } else {
      expect([member.active, member.views, member.status]).toEqual([null, null, null])
    }
    expect(member.isDirty()).toBe(false)
    await member.refresh()
    expect([member.active, member.views, member.status]).toEqual([true, 7, 'draft'])
  })

  it('one INSERT: the values come back in the same statement', async () => {
    await Member.create({ email: 'warm@x.io' })
    const statements = await sent(() => Member.create({ email: 'b@x.io', views: 1 }))
    expect(statements.map((s) => s.sql.split(' ')[0]!.toLowerCase())).toEqual(['insert'])
    if (readsBack) expect(statements[0]!.sql).toMatch(/returning/i)
  })

  it('values given, null included, are kept as given; save() of a new model reads back too', async () => {
    const member = await Member.create({ email: 'c@x.io', status: null, active: false, bio: 'hi' })
    expect([member.status, member.active, member.bio]).toEqual([null, false, 'hi'])
    const stored = (await Member.find(member.id))!
    expect([stored.status, stored.active, stored.bio]).toEqual([null, false, 'hi'])

    const made = new Member()
    made.email = 'd@x.io'
    await made.save()
    expect(made.id).toBeGreaterThan(0)
    expect(made.image).toBeNull()
    expect(made.views).toBe(readsBack ? 7 : null)
    expect(made.$isPersisted).toBe(true)
  })

  it('a model without an auto-increment key reads back its defaults as well', async () => {
    const badge = await Badge.create({ label: 'gold' })
    expect(typeof badge.id).toBe('string')
    expect(badge.note).toBeNull()
    expect(badge.level).toBe(readsBack ? 3 : null)
    expect(badge.toJSON()).toEqual({ id: badge.id, label: 'gold', level: readsBack ? 3 : null, note: null })
    expect((await Badge.find(badge.id))!.level).toBe(3)
  })

  it('a failed insert leaves the database and the model as they were', async () => {
    await Member.create({ email: 'dup@x.io' })
    const again = new Member()
    again.email = 'dup@x.io'
    await expect(again.save()).rejects.toThrow(UniqueViolationError)
    expect(again.$isPersisted).toBe(false)
    expect(again.bio).toBeUndefined()
    expect(await Member.query().count()).toBe(1)
  })
})

it('MariaDB from 10.5 returns rows from an INSERT; MySQL and older MariaDB do not', () => {
  expect(returnsFromInsert('10.11.19-MariaDB-0+deb12u1')).toBe(true)
  expect(returnsFromInsert('10.5.0-MariaDB-log')).toBe(true)
  expect(returnsFromInsert('11.4.2-MariaDB')).toBe(true)
  expect(returnsFromInsert('10.4.32-MariaDB')).toBe(false)
  expect(returnsFromInsert('5.5.5-10.6.12-MariaDB')).toBe(false)
  expect(returnsFromInsert('8.0.36')).toBe(false)
  expect(returnsFromInsert('')).toBe(false)
})
