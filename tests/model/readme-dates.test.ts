import 'reflect-metadata'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { column, Model, type ModelQuery, table } from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'

// The README's quick start model, as it is there.
@table('users')
class User extends Model {
  @column.primary() declare id: number
  @column() declare email: string
  @column() declare name: string | null
  @column.boolean() declare active: boolean
  @column.json() declare settings: Record<string, unknown> | null
  @column.createdAt() declare createdAt: Date
  @column.updatedAt() declare updatedAt: Date

  static fillable = ['email', 'name', 'settings']
  static scopes = { active: (q: ModelQuery<User>) => q.where('active', true) }
}

/**
 * Issue 24: the README's quick start against a `users` table made by hand with text timestamps,
 * as Rails, Django, Sequelize and hand-written SQLite schemas have them, holding rows those tools
 * wrote. Quarry's first read after its own write used to fail on the epoch milliseconds it had
 * written into the TEXT column (`'1796432171922.0'`).
 */
forEachDialect('README quick start on a hand-made users table with text timestamps', (ctx) => {
  const unsubscribe: Array<() => void> = []
  beforeAll(async () => {
    await ctx.db.raw(`create table users (
      id integer primary key autoincrement,
      email text not null unique,
      name text,
      active boolean not null default 1,
      settings text,
      created_at text,
      updated_at text)`)
    // Rows other tools wrote: Rails and Django (microseconds), Sequelize (an offset), hand-written SQL.
    await ctx.db.raw(`insert into users (email, name, created_at, updated_at) values
      ('rails@example.com', 'Rails', '2025-01-02 03:04:05.123456', '2025-01-02 03:04:05.123456'),
      ('sequelize@example.com', 'Sequelize', '2025-03-04 05:06:07.890 +00:00', '2025-03-04 05:06:07.890 +00:00'),
      ('sql@example.com', 'SQL', datetime('2025-02-01 00:00:00'), datetime('2025-02-01 00:00:00'))`)
  })
  afterAll(() => {
    for (const off of unsubscribe) off()
  })

  it('runs: create and save in a transaction, then a page by createdAt desc', async () => {
    const db = ctx.db
    unsubscribe.push(User.on('creating', (user) => { user.email = user.email.toLowerCase() }))

    await db.transaction(async () => {                 // every model call inside joins it
      const ada = await User.create({ email: 'Ada@Example.com', name: 'Ada' })
      ada.name = 'Ada Lovelace'
      await ada.save()                                 // writes only the dirty columns
    })
    const page = await User.query().scope('active').orderBy('createdAt', 'desc').paginate(1, 20)

    expect(page.data.map((u) => u.name)).toEqual(['Ada Lovelace', 'Sequelize', 'SQL', 'Rails'])
    expect(page.meta).toMatchObject({ total: 4, perPage: 20, currentPage: 1, lastPage: 1 })
    const [ada, sequelize, sql, rails] = page.data
    expect(ada!.email).toBe('ada@example.com')
    expect(ada!.updatedAt.getTime()).toBeGreaterThanOrEqual(ada!.createdAt.getTime())
    expect(Math.abs(ada!.createdAt.getTime() - Date.now())).toBeLessThan(60_000)
    expect(sequelize!.createdAt).toEqual(new Date('2025-03-04T05:06:07.890Z'))
    expect(sql!.createdAt).toEqual(new Date('2025-02-01T00:00:00Z'))
    expect(rails!.createdAt).toEqual(new Date('2025-01-02T03:04:05.123Z'))

    // What Quarry wrote is text SQLite's date functions read, in the table's own form.
    const [stored] = await db.raw<Record<string, unknown>>(
      "select created_at, typeof(created_at) as t, date(created_at) as d, updated_at >= created_at as ordered from users where email = 'ada@example.com'",
    )
    expect(stored!.t).toBe('text')
    expect(stored!.created_at).toBe(ada!.createdAt.toISOString().replace('T', ' ').slice(0, 23))
    expect(stored!.d).toBe(ada!.createdAt.toISOString().slice(0, 10))
    expect(stored!.ordered).toBe(1)

    // Reading again (the read that failed before) gives the same moments.
    const again = await User.query().orderBy('createdAt', 'desc').cursorPaginate(2)
    expect(again.data.map((u) => u.createdAt)).toEqual([ada!.createdAt, sequelize!.createdAt])
    const rest = await User.query().orderBy('createdAt', 'desc').cursorPaginate(2, again.nextCursor)
    expect(rest.data.map((u) => u.name)).toEqual(['SQL', 'Rails'])
  })
}, { only: ['sqlite', 'libsql'] })
