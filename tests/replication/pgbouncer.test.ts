import { execFileSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { belongsTo, type BelongsTo, column, connect, ConnectionError, type Database, hasMany, type HasMany, Model, QueryTimeoutError, table } from '../../src/index.js'
import { createTestDatabase, type TestDatabase } from '../support/databases.js'

/**
 * The PostgreSQL dialect through PgBouncer in transaction pooling mode (scripts/pgbouncer.sh,
 * started by the global setup in front of the PostgreSQL under test). Each statement outside a
 * transaction may land on another server session, so named prepared statements and a cancel by
 * process id cannot work as on a direct connection.
 */
const pgbouncer = inject('pgbouncer')

@table('bouncer_authors')
class Author extends Model {
  @column.primary() declare id: number
  @column() declare name: string
  @hasMany(() => Book, { foreignKey: 'authorId' }) declare books: HasMany<Book>
}

@table('bouncer_books')
class Book extends Model {
  @column.primary() declare id: number
  @column() declare authorId: number
  @column() declare title: string
  @belongsTo(() => Author, { foreignKey: 'authorId' }) declare author: BelongsTo<Author>
}

/** The same table, bound to whichever direct connection a test names. */
@table('bouncer_authors')
class DirectAuthor extends Model {
  @column.primary() declare id: number
  @column() declare name: string
}

const TIMEOUT_MS = 400

/** Whether a statement containing `marker` is still running on the server, as PostgreSQL sees it. */
async function stillRunning(direct: Database, marker: string): Promise<boolean> {
  const rows = await direct.raw<{ n: number }>(
    "select count(*)::int as n from pg_stat_activity where state = 'active' and query like ? and pid <> pg_backend_pid()",
    [`%${marker}%`],
  )
  return rows[0]!.n > 0
}

/** Runs a 3 s sleep tagged `marker`; expects QueryTimeoutError and the server statement gone. */
async function stopsOnServer(direct: Database, run: (sql: string) => Promise<unknown>, marker: string): Promise<number> {
  const started = Date.now()
  const error = await run(`select pg_sleep(3), '${marker}' as marker`).then(() => undefined, (e: unknown) => e)
  const elapsed = Date.now() - started
  expect(error).toBeInstanceOf(QueryTimeoutError)
  expect((error as QueryTimeoutError).timeoutMs).toBe(TIMEOUT_MS)
  expect(elapsed).toBeLessThan(1_500)
  // The server stopped the statement itself: gone well before its 3 s were up.
  await new Promise((r) => setTimeout(r, 300))
  expect(await stillRunning(direct, marker)).toBe(false)
  return elapsed
}

if (pgbouncer) describe('PostgreSQL through PgBouncer, pool_mode=transaction [postgres]', () => {
  let target: TestDatabase
  let db: Database
  let direct: Database
  let bouncerUrl: string

  beforeAll(async () => {
    target = await createTestDatabase('postgres')
    const url = new URL(pgbouncer!.url)
    url.pathname = new URL(target.url).pathname
    bouncerUrl = url.toString()
    db = await connect({ url: bouncerUrl, pool: { max: 10 } })
    direct = await connect(target.url)
    await direct.raw('create table bouncer_authors (id serial primary key, name varchar(60) not null)')
    await direct.raw('create table bouncer_books (id serial primary key, author_id integer not null references bouncer_authors(id), title varchar(60) not null)')
  })
  afterAll(async () => {
    await db?.close()
    await direct?.close()
    // PgBouncer keeps server sessions open on the database; the drop forces them off.
    await target?.drop()
  })

  it('model CRUD', async () => {
    const author = await Author.create({ name: 'Le Guin' })
    expect(author.id).toBeGreaterThan(0)
    author.name = 'Ursula K. Le Guin'
    await author.save()
    expect((await Author.findOrFail(author.id)).name).toBe('Ursula K. Le Guin')
    const temp = await Author.create({ name: 'temporary' })
    await temp.delete()
    expect(await Author.find(temp.id)).toBeNull()
  })

  it('find() again and again across pooled server sessions, 300 at once: never a 42P05/26000', async () => {
    const authors = await Promise.all(Array.from({ length: 20 }, (_, i) => Author.create({ name: `author ${i}` })))
    const results = await Promise.allSettled(Array.from({ length: 300 }, (_, i) => Author.find(authors[i % authors.length]!.id)))
    const failed = results.filter((r) => r.status === 'rejected')
    expect(failed.map((r) => String((r as PromiseRejectedResult).reason))).toEqual([])
    expect(results.map((r) => (r as PromiseFulfilledResult<Author | null>).value?.name)).toEqual(
      Array.from({ length: 300 }, (_, i) => `author ${i % authors.length}`),
    )
  })

  it('eager loads', async () => {
    const author = await Author.create({ name: 'Tolkien' })
    await Book.create({ authorId: author.id, title: 'The Hobbit' })
    await Book.create({ authorId: author.id, title: 'The Silmarillion' })
    const loaded = await Author.query().where('id', author.id).with('books').firstOrFail()
    expect(loaded.books.map((b) => b.title).sort()).toEqual(['The Hobbit', 'The Silmarillion'])
    const books = await Book.query().where('authorId', author.id).with('author').get()
    expect(books.map((b) => b.author?.name)).toEqual(['Tolkien', 'Tolkien'])
  })

  it('transactions commit and roll back on one server session', async () => {
    const kept = await db.transaction(async () => {
      const a = await Author.create({ name: 'in a transaction' })
      await Book.create({ authorId: a.id, title: 'kept' })
      return a
    })
    expect((await Book.query().where('authorId', kept.id).pluck('title'))).toEqual(['kept'])
    const error = await db
      .transaction(async () => {
        const a = await Author.create({ name: 'rolled back' })
        await Book.create({ authorId: a.id, title: 'lost' })
        throw new Error('undo')
      })
      .catch((e: Error) => e)
    expect(error).toBeInstanceOf(Error)
    expect(await Author.query().where('name', 'rolled back').count()).toBe(0)
  })

  it('50 concurrent callers, each with a write, a find and a transaction', async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, async (_, i) => {
        const author = await Author.create({ name: `caller ${i}` })
        expect((await Author.findOrFail(author.id)).name).toBe(`caller ${i}`)
        await db.transaction(async () => {
          await Book.create({ authorId: author.id, title: `book ${i}` })
          await Author.query().where('id', author.id).update({ name: `caller ${i} done` })
        })
        return (await Author.query().where('id', author.id).with('books').firstOrFail()).books.length
      }),
    )
    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason))).toEqual([])
    expect(outcomes.map((o) => (o as PromiseFulfilledResult<number>).value)).toEqual(Array(50).fill(1))
    expect(await Author.query().where('name', 'like', 'caller % done').count()).toBe(50)
  })

  it('PgBouncer restarted under 8 concurrent readers: reads fail loudly or succeed, none lost', async () => {
    const control = (command: string) =>
      execFileSync('bash', [pgbouncer!.control, command], { env: { ...process.env, ...pgbouncer!.env }, stdio: 'ignore', timeout: 30_000 })
    const author = await Author.create({ name: 'restart' })
    const tally = { attempted: 0, served: 0, failedLoudly: 0, wrong: 0 }
    const writes = { attempted: 0, served: 0 }
    let running = true
    const readers = Array.from({ length: 8 }, async () => {
      while (running) {
        tally.attempted++
        try {
          const found = await Author.find(author.id)
          if (found?.name === 'restart') tally.served++
          else tally.wrong++
          writes.attempted++
          await Author.create({ name: 'restart write' })
          writes.served++
        } catch (error) {
          expect(error).toBeInstanceOf(ConnectionError)
          tally.failedLoudly++
          await new Promise((r) => setTimeout(r, 20))
        }
      }
    })
    await new Promise((r) => setTimeout(r, 300))
    control('restart')
    await new Promise((r) => setTimeout(r, 700))
    running = false
    await Promise.all(readers)
    console.log(`PgBouncer restart: reads ${JSON.stringify(tally)}, writes ${JSON.stringify(writes)}`)
    expect(tally.wrong).toBe(0)
    // Every failure (a read or a write) was a ConnectionError; every write reported done is there.
    expect(tally.served + writes.served + tally.failedLoudly).toBe(tally.attempted + writes.attempted)
    const stored = Number(await Author.query().where('name', 'restart write').count())
    expect(stored).toBeGreaterThanOrEqual(writes.served)
    expect(stored).toBeLessThanOrEqual(writes.attempted)
    expect(tally.served).toBeGreaterThan(0)
    // After the restart the pool recovers.
    expect((await Author.findOrFail(author.id)).name).toBe('restart')
  })

  it('queryTimeoutMs stops the statement on the server, outside and inside a transaction', async () => {
    const timed = await connect({ url: bouncerUrl, queryTimeoutMs: TIMEOUT_MS, pool: { max: 2 } })
    try {
      await stopsOnServer(direct, (sql) => timed.raw(sql), 'bouncer_plain')
      await stopsOnServer(direct, (sql) => timed.transaction((trx) => trx.raw(sql)), 'bouncer_trx')
      expect(await timed.table('bouncer_authors').whereRaw('(select 1 from pg_sleep(0.8)) = 1').where('name', 'Tolkien').pluck('name').timeout(3_000)).toEqual(['Tolkien'])
      // The timed connection still answers, and statements within the bound are unaffected.
      expect(await timed.raw<{ n: number }>('select 1 as n from pg_sleep(0.05)')).toEqual([{ n: 1 }])
      expect(await timed.table('bouncer_authors').where('name', 'Tolkien').pluck('name')).toEqual(['Tolkien'])
    } finally {
      await timed.close()
    }
  })
})

if (pgbouncer) describe('PostgreSQL directly: named statements and server-side timeouts [postgres]', () => {
  let target: TestDatabase
  let direct: Database

  beforeAll(async () => {
    target = await createTestDatabase('postgres')
    direct = await connect({ url: target.url, pool: { max: 1 } })
    await direct.raw('create table bouncer_authors (id serial primary key, name varchar(60) not null)')
    await direct.table('bouncer_authors').insert({ name: 'only' })
  })
  afterAll(async () => {
    await direct?.close()
    await target?.drop()
  })

  it('a named statement that already exists on the session (42P05) is sent again unnamed', async () => {
    const first = await connect({ url: target.url, pool: { max: 1 } })
    let name: string
    try {
      DirectAuthor.useConnection(first.connection())
      expect((await DirectAuthor.find(1))?.name).toBe('only')
      const rows = await first.raw<{ name: string }>("select name from pg_prepared_statements where name like 'quarry_%'")
      expect(rows).toHaveLength(1)
      name = rows[0]!.name
    } finally {
      await first.close()
    }
    // A fresh session where that name is taken by another statement.
    const clash = await connect({ url: target.url, pool: { max: 1 } })
    try {
      await clash.raw(`prepare "${name}" as select 'clash'`)
      DirectAuthor.useConnection(clash.connection())
      expect((await DirectAuthor.find(1))?.name).toBe('only')
      expect((await DirectAuthor.find(1))?.name).toBe('only')
    } finally {
      await clash.close()
    }
  })

  it('queryTimeoutMs stops the statement on the server', async () => {
    const timed = await connect({ url: target.url, queryTimeoutMs: TIMEOUT_MS, pool: { max: 2 } })
    try {
      await stopsOnServer(direct, (sql) => timed.raw(sql), 'direct_plain')
      await stopsOnServer(direct, (sql) => timed.transaction((trx) => trx.raw(sql)), 'direct_trx')
      // A builder's own longer .timeout() still wins over the connection's bound, and the bound
      // applies again to the next statement.
      expect(await timed.table('bouncer_authors').whereRaw('(select 1 from pg_sleep(0.8)) = 1').pluck('name').timeout(3_000)).toEqual(['only'])
      await stopsOnServer(direct, (sql) => timed.raw(sql), 'direct_again')
    } finally {
      await timed.close()
    }
  })
})
