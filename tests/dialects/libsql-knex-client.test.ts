import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'

import { createClient, LibsqlError } from '@libsql/client'
import knexFactory, { type Knex } from 'knex'
import { SqliteKnexClient } from '../../src/dialects/sqlite/sqlite-knex-client.js'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import {
  type LibsqlConnectionConfig,
  LibsqlKnexClient,
  LibsqlKnexConnection,
  libsqlUrlKind,
} from '../../src/dialects/libsql/libsql-knex-client.js'

const tempDir = mkdtempSync(join(tmpdir(), 'quarry-libsql-knex-'))
let fileCounter = 0

function freshFileUrl(): string {
  fileCounter += 1
  return `file:${join(tempDir, `db-${fileCounter}.db`)}`
}

afterAll(() => {
  rmSync(tempDir, { recursive: true, force: true })
})

function makeKnex(url: string, extra: Partial<LibsqlConnectionConfig> = {}): Knex {
  const connection: LibsqlConnectionConfig = { url, ...extra }
  return knexFactory({
    client: LibsqlKnexClient,
    // knex's config types only know the built-in clients' connection shapes.
    connection: connection as Knex.Config['connection'],
    useNullAsDefault: true,
  })
}

/** Rejects with whatever `promise` rejected with, failing if it resolved. */
async function caught(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(Error)
    return error as Error & Record<string, unknown>
  }
  throw new Error('expected the promise to reject')
}

async function createSchema(db: Knex): Promise<void> {
  await db.schema.createTable('users', (t) => {
    t.increments('id')
    t.string('email').notNullable().unique()
    t.string('name')
    t.boolean('active').defaultTo(true)
    t.timestamps()
  })
  await db.schema.createTable('posts', (t) => {
    t.increments('id')
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE')
    t.string('title').notNullable()
  })
}

const backends: { name: string; url: () => string }[] = [
  { name: 'file:', url: freshFileUrl },
  { name: ':memory:', url: () => ':memory:' },
]

describe.each(backends)('LibsqlKnexClient on $name', ({ name, url }) => {
  let db: Knex

  beforeEach(async () => {
    db = makeKnex(url())
    await createSchema(db)
  })

  afterEach(async () => {
    await db.destroy()
  })

  it('exposes the SQLite dialect and applies the connection pragmas', async () => {
    expect(db.client.dialect).toBe('sqlite3')
    const [fk] = await db.raw('PRAGMA foreign_keys')
    expect(fk).toEqual({ foreign_keys: 1 })
    if (name === 'file:') {
      expect(await db.raw('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }])
      expect(await db.raw('PRAGMA busy_timeout')).toEqual([{ timeout: 5000 }])
    }
  })

  it('creates tables with increments, unique strings, foreign keys and timestamps', async () => {
    expect(await db.schema.hasTable('users')).toBe(true)
    expect(await db.schema.hasTable('posts')).toBe(true)
    expect(await db.schema.hasTable('nope')).toBe(false)
    for (const column of ['id', 'email', 'name', 'active', 'created_at', 'updated_at']) {
      expect(await db.schema.hasColumn('users', column)).toBe(true)
    }
    expect(await db.schema.hasColumn('users', 'missing')).toBe(false)

    const foreignKeys = await db.raw('PRAGMA foreign_key_list(posts)')
    expect(foreignKeys).toHaveLength(1)
    expect(foreignKeys[0]).toMatchObject({ table: 'users', from: 'user_id', to: 'id', on_delete: 'CASCADE' })
    const indexes: { name: string; unique: number }[] = await db.raw('PRAGMA index_list(users)')
    expect(indexes.some((index) => index.unique === 1 && index.name.includes('email'))).toBe(true)
  })

  it('returns the same shapes as the better-sqlite3 client for insert/select/update/delete', async () => {
    const inserted = await db('users').insert({ email: 'a@x.io', name: 'Ann' })
    expect(inserted).toEqual([1])
    expect(typeof inserted[0]).toBe('number')
    expect(await db('users').insert({ email: 'b@x.io', name: 'Bob' })).toEqual([2])

    const rows = await db('users').select('id', 'email', 'name').orderBy('id')
    expect(rows).toEqual([
      { id: 1, email: 'a@x.io', name: 'Ann' },
      { id: 2, email: 'b@x.io', name: 'Bob' },
    ])
    for (const row of rows) {
      expect(Object.getPrototypeOf(row)).toBe(Object.prototype)
      expect(Object.keys(row)).toEqual(['id', 'email', 'name'])
    }

    const first = await db('users').where({ email: 'b@x.io' }).first()
    expect(first).toMatchObject({ id: 2, email: 'b@x.io', name: 'Bob', active: 1 })
    expect(Array.isArray(first)).toBe(false)
    expect(await db('users').where({ email: 'zz' }).first()).toBeUndefined()
    expect(await db('users').pluck('email').orderBy('id')).toEqual(['a@x.io', 'b@x.io'])
    expect(await db('users').count({ n: '*' })).toEqual([{ n: 2 }])

    expect(await db('users').update({ name: 'Everyone' })).toBe(2)
    expect(await db('users').where({ id: 99 }).update({ name: 'Nobody' })).toBe(0)
    expect(await db('users').where({ id: 1 }).increment('active', 5)).toBe(1)
    expect(await db('users').where({ id: 1 }).del()).toBe(1)
    expect(await db('users').where({ id: 1 }).del()).toBe(0)
    expect(await db('users').select('id')).toEqual([{ id: 2 }])
  })

  it('supports returning() on insert, update and delete', async () => {
    const returned = await db('users').insert({ email: 'r@x.io', name: 'Ret' }).returning(['id', 'email'])
    expect(returned).toEqual([{ id: 1, email: 'r@x.io' }])
    expect(Object.getPrototypeOf(returned[0])).toBe(Object.prototype)

    const many = await db('users')
      .insert([
        { email: 's@x.io', name: 'S' },
        { email: 't@x.io', name: 'T' },
      ])
      .returning('id')
    expect(many).toEqual([{ id: 2 }, { id: 3 }])

    const updated = await db('users').where('id', '>', 1).update({ name: 'U' }).returning(['id', 'name'])
    expect(updated).toEqual([
      { id: 2, name: 'U' },
      { id: 3, name: 'U' },
    ])
  })

  it('gives raw() selects as plain rows and raw() writes as a run result', async () => {
    const selected = await db.raw('select ? as a, ? as b', [1, 'two'])
    expect(selected).toEqual([{ a: 1, b: 'two' }])
    expect(Object.getPrototypeOf(selected[0])).toBe(Object.prototype)

    const run = await db.raw('insert into users (email, name) values (?, ?)', ['raw@x.io', 'Raw'])
    expect(run).toEqual({ changes: 1, lastInsertRowid: 1 })
    const update = await db.raw("update users set name = 'R'")
    expect(update).toEqual({ changes: 1, lastInsertRowid: 1 })

    // Duplicate names: the later column wins, as with better-sqlite3; `length` is an ordinary column.
    expect(await db.raw('select 1 as x, 2 as x, 3 as length')).toEqual([{ x: 2, length: 3 }])
  })

  it('formats bindings like the better-sqlite3 client and round-trips blobs', async () => {
    const when = new Date('2024-05-06T07:08:09.010Z')
    await db('users').insert({ email: 'd@x.io', active: false, created_at: when })
    const row = await db('users').where({ email: 'd@x.io' }).first('active', 'created_at')
    // A Date is bound as ISO-8601 UTC text, as Quarry's better-sqlite3 client binds it.
    expect(row).toEqual({ active: 0, created_at: '2024-05-06 07:08:09.010' })
    expect(await db('users').where({ active: false }).count({ n: '*' })).toEqual([{ n: 1 }])

    const [blob] = await db.raw('select ? as b, typeof(?) as t', [Buffer.from([1, 2, 255]), Buffer.from([0])])
    expect(Buffer.isBuffer(blob.b)).toBe(true)
    expect([...blob.b]).toEqual([1, 2, 255])
    expect(blob.t).toBe('blob')

    const undefinedBinding: unknown[] = [undefined]
    expect(() => db.raw('select ?', undefinedBinding as Knex.RawBinding[]).toSQL()).toThrow(/Undefined binding/)
    await expect(db.raw('select ?', [{ an: 'object' }])).rejects.toThrow(/Unsupported binding/)
  })

  it('keeps the driver error for a unique violation', async () => {
    await db('users').insert({ email: 'dup@x.io' })
    const error = await caught(db('users').insert({ email: 'dup@x.io' }))
    expect(error).toBeInstanceOf(LibsqlError)
    expect(String(error['code'])).toMatch(/SQLITE_CONSTRAINT/)
    expect(error['extendedCode']).toBe('SQLITE_CONSTRAINT_UNIQUE')
    expect(typeof error['rawCode']).toBe('number')
    expect(error.message).toContain('insert into `users`')
    expect(error.message).toContain('UNIQUE constraint failed: users.email')
  })

  it('enforces foreign keys', async () => {
    const error = await caught(db('posts').insert({ user_id: 42, title: 'orphan' }))
    expect(error).toBeInstanceOf(LibsqlError)
    expect(String(error['code'])).toMatch(/SQLITE_CONSTRAINT/)
    expect(error['extendedCode']).toBe('SQLITE_CONSTRAINT_FOREIGNKEY')
    expect(error.message).toContain('FOREIGN KEY constraint failed')

    const [userId] = await db('users').insert({ email: 'fk@x.io' })
    await db('posts').insert({ user_id: userId, title: 'kept' })
    await db('users').where({ id: userId }).del()
    expect(await db('posts').count({ n: '*' })).toEqual([{ n: 0 }]) // ON DELETE CASCADE ran
  })

  it('commits a transaction', async () => {
    const result = await db.transaction(async (trx) => {
      const [id] = await trx('users').insert({ email: 'tx@x.io' })
      await trx('posts').insert({ user_id: id, title: 'in tx' })
      expect(await trx('posts').count({ n: '*' })).toEqual([{ n: 1 }])
      return id
    })
    expect(result).toBe(1)
    expect(await db('users').pluck('email')).toEqual(['tx@x.io'])
    expect(await db('posts').pluck('title')).toEqual(['in tx'])
  })

  it('rolls a transaction back when the callback throws', async () => {
    const error = await caught(
      db.transaction(async (trx) => {
        await trx('users').insert({ email: 'gone@x.io' })
        expect(await trx('users').count({ n: '*' })).toEqual([{ n: 1 }])
        throw new Error('boom')
      }),
    )
    expect(error.message).toBe('boom')
    expect(await db('users').where({ email: 'gone@x.io' }).first()).toBeUndefined()
    expect(await db('users').count({ n: '*' })).toEqual([{ n: 0 }])

    // A failing statement inside the transaction rolls back the earlier work too.
    await db('users').insert({ email: 'taken@x.io' })
    const dup = await caught(
      db.transaction(async (trx) => {
        await trx('users').insert({ email: 'first@x.io' })
        await trx('users').insert({ email: 'taken@x.io' })
      }),
    )
    expect(dup['extendedCode']).toBe('SQLITE_CONSTRAINT_UNIQUE')
    expect(await db('users').pluck('email')).toEqual(['taken@x.io'])
  })

  it('rolls back only the inner work of a failed nested transaction (savepoint)', async () => {
    await db.transaction(async (trx) => {
      await trx('users').insert({ email: 'outer@x.io' })
      const inner = await caught(
        trx.transaction(async (nested) => {
          await nested('users').insert({ email: 'inner@x.io' })
          expect(await nested('users').count({ n: '*' })).toEqual([{ n: 2 }])
          throw new Error('inner failure')
        }),
      )
      expect(inner.message).toBe('inner failure')
      await trx.transaction(async (nested) => {
        await nested('users').insert({ email: 'inner-ok@x.io' })
      })
      expect(await trx('users').orderBy('id').pluck('email')).toEqual(['outer@x.io', 'inner-ok@x.io'])
    })
    expect(await db('users').orderBy('id').pluck('email')).toEqual(['outer@x.io', 'inner-ok@x.io'])
  })

  it('ignores the isolation level and supports a manual transaction handle', async () => {
    await db.transaction(
      async (trx) => {
        await trx('users').insert({ email: 'iso@x.io' })
      },
      { isolationLevel: 'serializable' },
    )
    const trx = await db.transaction()
    await trx('users').insert({ email: 'manual@x.io' })
    await trx.rollback()
    expect(await db('users').pluck('email')).toEqual(['iso@x.io'])
  })

  it('routes raw BEGIN / COMMIT / ROLLBACK through one libsql transaction', async () => {
    await db.raw('BEGIN')
    await db('users').insert({ email: 'raw-rolled@x.io' })
    await db.raw('ROLLBACK')
    await db.raw('begin deferred transaction')
    await db('users').insert({ email: 'raw-kept@x.io' })
    await db.raw('SAVEPOINT sp1')
    await db('users').insert({ email: 'raw-sp@x.io' })
    await db.raw('ROLLBACK TO SAVEPOINT sp1')
    await db.raw('RELEASE sp1')
    await db.raw('COMMIT;')
    expect(await db('users').pluck('email')).toEqual(['raw-kept@x.io'])

    const stray = await caught(db.raw('COMMIT'))
    expect(stray.message).toMatch(/no transaction is active/)
    await db.raw('BEGIN')
    const nested = await caught(db.raw('BEGIN'))
    expect(nested.message).toMatch(/cannot start a transaction within a transaction/)
    await db.raw('END TRANSACTION')
  })

  it('streams every row through .stream() and async iteration', async () => {
    await db.batchInsert(
      'users',
      Array.from({ length: 200 }, (_, i) => ({ email: `s${i}@x.io` })),
      50,
    )
    const emails: string[] = []
    for await (const row of db('users').select('email').orderBy('id').stream()) {
      emails.push((row as { email: string }).email)
    }
    expect(emails).toHaveLength(200)
    expect(emails[0]).toBe('s0@x.io')
    expect(emails[199]).toBe('s199@x.io')

    const seen: unknown[] = []
    await db('users')
      .select('id')
      .stream((stream) => {
        const sink = new PassThrough({ objectMode: true })
        sink.on('data', (row) => seen.push(row))
        stream.pipe(sink)
      })
    expect(seen).toHaveLength(200)
    expect(seen[0]).toEqual({ id: 1 })

    // A failing query surfaces as a stream error.
    const failing = db.raw('select * from no_such_table').stream()
    const streamError = await new Promise<Error>((resolveError) => failing.on('error', resolveError))
    expect(streamError.message).toMatch(/no such table/)
  })

  it('alters tables: add column, and the DDL helper rebuild keeps data and foreign keys', async () => {
    const [userId] = await db('users').insert({ email: 'alter@x.io', name: 'Al' })
    await db('posts').insert({ user_id: userId, title: 'before' })

    await db.schema.alterTable('users', (t) => {
      t.string('bio').nullable()
    })
    expect(await db.schema.hasColumn('users', 'bio')).toBe(true)
    await db('users').where({ id: userId }).update({ bio: 'hello' })

    // .alter() and dropColumn() go through knex's SQLite DDL helper (table rebuild in a
    // transaction, with foreign_keys switched off around it).
    await db.schema.alterTable('posts', (t) => {
      t.text('title').nullable().alter()
    })
    await db.schema.alterTable('users', (t) => {
      t.dropColumn('name')
    })
    expect(await db.schema.hasColumn('users', 'name')).toBe(false)
    expect(await db('users').first('email', 'bio')).toEqual({ email: 'alter@x.io', bio: 'hello' })
    expect(await db('posts').first('title', 'user_id')).toEqual({ title: 'before', user_id: userId })
    await db('posts').insert({ user_id: userId, title: null })

    expect(await db.raw('PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }])
    const orphan = await caught(db('posts').insert({ user_id: 999, title: 'orphan' }))
    expect(orphan['extendedCode']).toBe('SQLITE_CONSTRAINT_FOREIGNKEY')

    // dropForeign() takes the other DDL path: a knex transaction with enforceForeignCheck: false.
    await db.schema.alterTable('posts', (t) => {
      t.dropForeign('user_id')
    })
    expect(await db.raw('PRAGMA foreign_key_list(posts)')).toEqual([])
    expect(await db.raw('PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }])
    await db('posts').insert({ user_id: 999, title: 'orphan now allowed' })
    expect(await db('posts').count({ n: '*' })).toEqual([{ n: 3 }])
  })

  it('batch-inserts 10,000 rows in chunks', async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => ({ email: `bulk${i}@x.io`, name: `n${i}` }))
    await db.batchInsert('users', rows, 500)
    expect(await db('users').count({ n: '*' })).toEqual([{ n: 10_000 }])
    expect(await db('users').max({ id: 'id' })).toEqual([{ id: 10_000 }])
    expect(await db('users').where({ id: 7_777 }).first('email')).toEqual({ email: 'bulk7776@x.io' })
  })

  it('supports knex.fn.uuid() on the SQLite path', async () => {
    const [row] = await db.select(db.fn.uuid().wrap('', ' as id'))
    expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })

  it('closes the libsql client on destroy', async () => {
    const connection: unknown = await db.client.acquireConnection()
    expect(connection).toBeInstanceOf(LibsqlKnexConnection)
    const libsqlConnection = connection as LibsqlKnexConnection
    expect(libsqlConnection.urlKind).toBe(name === 'file:' ? 'file' : 'memory')
    await db.client.releaseConnection(connection)
    await db.destroy()
    expect(libsqlConnection.closed).toBe(true)
  })
})

/** The same operations, recorded result by result, to compare clients. */
async function recordOperations(db: Knex): Promise<unknown[]> {
  const out: unknown[] = []
  const record = async (step: Promise<unknown> | Knex.QueryBuilder | Knex.Raw): Promise<void> => {
    out.push(await step)
  }
  await db.schema.createTable('items', (t) => {
    t.increments('id')
    t.string('name').unique()
    t.integer('qty').defaultTo(0)
    t.boolean('flag')
    t.dateTime('seen_at')
    t.binary('data')
  })
  const when = new Date('2023-01-02T03:04:05.678Z')
  await record(db('items').insert({ name: 'a', qty: 1, flag: true, seen_at: when, data: Buffer.from('hi') }))
  await record(db('items').insert([{ name: 'b' }, { name: 'c', qty: 3 }]))
  await record(db('items').insert({ name: 'd', qty: 4 }).returning('*'))
  await record(db('items').insert({ name: 'a' }).onConflict('name').ignore())
  await record(db('items').insert({ name: 'a', qty: 9 }).onConflict('name').merge(['qty']))
  await record(db('items').select('*').orderBy('id'))
  await record(db('items').where({ flag: true, seen_at: when }).first())
  await record(db('items').where({ name: 'missing' }).first())
  await record(db('items').pluck('name').orderBy('name'))
  await record(db('items').count({ n: '*' }).sum({ total: 'qty' }))
  await record(db('items').where('qty', '>', 2).update({ flag: false }))
  await record(db('items').where({ name: 'b' }).update({ qty: 7 }).returning(['id', 'qty']))
  await record(db('items').where({ name: 'b' }).increment('qty', 2))
  await record(db('items').where({ name: 'b' }).decrement({ qty: 1 }))
  await record(db('items').where({ name: 'c' }).del())
  await record(db('items').where({ name: 'd' }).del().returning('id'))
  await record(db.raw('select name, qty from items where qty > ? order by id', [0]))
  await record(db.raw('update items set qty = qty + 1'))
  await record(db.raw("insert into items (name) values ('raw') returning id, name"))
  await record(db.raw('create table other (x integer)'))
  await record(db.raw('PRAGMA foreign_keys = ON'))
  await record(db.transaction(async (trx) => trx('items').insert({ name: 'tx' })))
  await record(db.schema.hasTable('items'))
  await record(db.schema.hasColumn('items', 'qty'))
  await record(db.schema.hasColumn('items', 'nope'))
  await record(db('items').select('name').orderBy('id'))
  return out
}

describe('LibsqlKnexClient parity with Quarry\'s better-sqlite3 client', () => {
  it.each(backends)('gives identical results on $name', async ({ url }) => {
    // Quarry's better-sqlite3 client: knex's, but binding a Date as ISO-8601 UTC text.
    const reference = knexFactory({ client: SqliteKnexClient as never, connection: { filename: ':memory:' }, useNullAsDefault: true })
    const db = makeKnex(url())
    try {
      const expected = await recordOperations(reference)
      const actual = await recordOperations(db)
      expect(actual).toHaveLength(expected.length)
      for (let i = 0; i < expected.length; i++) {
        expect({ step: i, result: actual[i] }).toStrictEqual({ step: i, result: expected[i] })
      }
    } finally {
      await reference.destroy()
      await db.destroy()
    }
  })
})

describe('LibsqlKnexClient across connections', () => {
  it('shares a file database between knex instances and honours busyTimeoutMs', async () => {
    const url = freshFileUrl()
    const writer = makeKnex(url, { busyTimeoutMs: 1234 })
    const reader = makeKnex(url)
    try {
      expect(await writer.raw('PRAGMA busy_timeout')).toEqual([{ timeout: 1234 }])
      await createSchema(writer)
      await writer.transaction(async (trx) => {
        // The transaction runs on the same SQLite connection, pragmas included.
        expect(await trx.raw('PRAGMA busy_timeout')).toEqual([{ timeout: 1234 }])
        expect(await trx.raw('PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }])
        await trx('users').insert({ email: 'shared@x.io' })
        // Uncommitted work is invisible to another connection.
        expect(await reader('users').count({ n: '*' })).toEqual([{ n: 0 }])
      })
      expect(await reader('users').pluck('email')).toEqual(['shared@x.io'])
    } finally {
      await writer.destroy()
      await reader.destroy()
    }
  })

  it('keeps the busy timeout on a connection @libsql/client opens in place of one it dropped', async () => {
    const url = freshFileUrl()
    const db = makeKnex(url, { busyTimeoutMs: 400 })
    const holder = makeKnex(url)
    try {
      await createSchema(db)
      // @libsql/client closes a local connection it cannot roll back and opens a new one on the
      // next call, without the pragmas run at connect; reconnect() does the same on demand.
      const raw = (await db.client.acquireConnection()) as LibsqlKnexConnection
      await raw.client.reconnect()
      db.client.releaseConnection(raw)
      expect(await db.raw('PRAGMA busy_timeout')).toEqual([{ timeout: 400 }])
      // Another connection holds the write lock. A local libSQL statement waits synchronously, so
      // the lock cannot be let go during the wait here: the write fails, but only once the busy
      // timeout has passed (at once, with libSQL's default of 0).
      const trx = await holder.transaction()
      try {
        await trx('users').insert({ email: 'holder@x.io' })
        const started = performance.now()
        const error = await caught(db('users').insert({ email: 'waiter@x.io' }))
        expect(error.code).toBe('SQLITE_BUSY')
        expect(performance.now() - started).toBeGreaterThanOrEqual(350)
      } finally {
        await trx.rollback()
      }
    } finally {
      await holder.destroy()
      await db.destroy()
    }
  })

  it('commits again after a write that failed with SQLITE_BUSY (libSQL leaves that statement unfinished)', async () => {
    const url = freshFileUrl()
    const db = makeKnex(url, { busyTimeoutMs: 50 })
    const holder = makeKnex(url)
    try {
      await createSchema(db)
      await db('users').insert({ email: 'a@x.io' })
      const held = await holder.transaction()
      await held('users').insert({ email: 'holder@x.io' })
      // A write outside a transaction, and a transaction whose BEGIN IMMEDIATE cannot get the lock.
      expect((await caught(db('users').update({ name: 'lost' }))).code).toBe('SQLITE_BUSY')
      const begin = await caught(db.transaction(async (trx) => trx('users').update({ name: 'lost too' })))
      expect(begin.code).toBe('SQLITE_BUSY')
      await held.commit()
      // libSQL would now refuse every COMMIT on that connection ("SQL statements in progress").
      await db.transaction(async (trx) => {
        await trx('users').where('email', 'a@x.io').update({ name: 'kept' })
      })
      await db('users').where('email', 'holder@x.io').update({ name: 'kept' })
      expect(await db('users').orderBy('email').pluck('name')).toEqual(['kept', 'kept'])
    } finally {
      await holder.destroy()
      await db.destroy()
    }
  })

  it('gives each :memory: knex instance its own database', async () => {
    const one = makeKnex(':memory:')
    const two = makeKnex('file::memory:')
    try {
      await one.schema.createTable('only_here', (t) => t.increments('id'))
      expect(await one.schema.hasTable('only_here')).toBe(true)
      expect(await two.schema.hasTable('only_here')).toBe(false)
    } finally {
      await one.destroy()
      await two.destroy()
    }
  })

  it('rejects a connection without a url', async () => {
    const logged: string[] = []
    const log = (message: string): void => void logged.push(message)
    const db = knexFactory({
      client: LibsqlKnexClient,
      connection: {},
      useNullAsDefault: true,
      log: { warn: log, error: log, debug: log, deprecate: log },
    })
    try {
      await expect(db.raw('select 1')).rejects.toThrow(/connection\.url/)
      expect(logged.join('\n')).toMatch(/connection\.url/)
    } finally {
      await db.destroy()
    }
  })

  it('refuses PRAGMA foreign_keys = OFF outside a transaction on a remote URL (no request is sent)', async () => {
    // Nothing listens on this port; the refusal happens before any request would be made.
    const connection = new LibsqlKnexConnection(createClient({ url: 'http://127.0.0.1:9' }), 'remote')
    try {
      for (const sql of ['PRAGMA foreign_keys = OFF', 'pragma foreign_keys=0;', 'PRAGMA main.foreign_keys = false']) {
        await expect(connection.execute(sql, [])).rejects.toThrow(/cannot take effect on a remote database/)
      }
    } finally {
      connection.close()
    }
    expect(connection.closed).toBe(true)
  })

  it('classifies URLs', () => {
    expect(libsqlUrlKind(':memory:')).toBe('memory')
    expect(libsqlUrlKind('file::memory:')).toBe('memory')
    expect(libsqlUrlKind('file::memory:?cache=shared')).toBe('memory')
    expect(libsqlUrlKind('file:local.db')).toBe('file')
    expect(libsqlUrlKind('FILE:///abs/path.db')).toBe('file')
    for (const remote of ['libsql://db.example.io', 'https://db.example.io', 'http://127.0.0.1:8080', 'ws://h', 'wss://h']) {
      expect(libsqlUrlKind(remote)).toBe('remote')
    }
  })

  it('leaves no active handles behind after destroy()', async () => {
    const countByType = (resources: string[]): Record<string, number> => {
      const counts: Record<string, number> = {}
      for (const type of resources) counts[type] = (counts[type] ?? 0) + 1
      return counts
    }
    const settle = (): Promise<void> => new Promise((resolveSettle) => setTimeout(resolveSettle, 20))
    await settle()
    const before = countByType(process.getActiveResourcesInfo())

    for (const url of [freshFileUrl(), ':memory:']) {
      const db = makeKnex(url)
      await db.schema.createTable('t', (t) => {
        t.increments('id')
        t.string('v')
      })
      await db.transaction(async (trx) => {
        await trx('t').insert({ v: 'x' })
      })
      for await (const row of db('t').stream()) expect(row).toEqual({ id: 1, v: 'x' })
      await db.destroy()
    }

    await settle()
    // Nothing new may be left (a timer from an earlier test may have finished meanwhile).
    const after = countByType(process.getActiveResourcesInfo())
    for (const [type, count] of Object.entries(after)) {
      expect({ type, count }).toEqual({ type, count: Math.min(count, before[type] ?? 0) })
    }
  })
})
