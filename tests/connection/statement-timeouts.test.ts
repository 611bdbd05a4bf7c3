// queryTimeoutMs bounds every statement of its connection, not only db.raw (issue 13, item 3):
// model queries, db.table, aggregates, pagination, eager loads, prepared finds and writes each
// fail with QueryTimeoutError, and the connection (one pooled connection) answers afterwards.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { column, connect, type Database, hasMany, type HasMany, Model, QueryTimeoutError, table } from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'

const TIMEOUT_MS = 400
/** Well past the timeout, and well short of the statement's own length. */
const BOUND_MS = 1_800

@table('timeout_widgets')
class Widget extends Model {
  @column.primary() declare id: number
  @column() declare ownerId: number
  @column() declare name: string
}

/** A view over timeout_widgets that takes seconds to read. */
@table('timeout_slow_widgets')
class SlowWidget extends Model {
  @column.primary() declare id: number
  @column() declare ownerId: number
  @column() declare name: string
}

@table('timeout_owners')
class Owner extends Model {
  @column.primary() declare id: number
  @column() declare name: string
  @hasMany(() => SlowWidget, { foreignKey: 'ownerId' }) declare slowWidgets: HasMany<SlowWidget>
}

forEachDialect('queryTimeoutMs bounds every statement', (ctx) => {
  const postgres = ctx.dialect === 'postgres'
  /** A where clause that sleeps for `seconds` (bound) before it is true. */
  const sleeps = postgres ? '(select 1 from pg_sleep(?)) = 1' : 'sleep(?) = 0'
  let other: Database

  beforeAll(async () => {
    await ctx.db.raw('create table timeout_owners (id integer primary key, name varchar(40) not null)')
    await ctx.db.raw('create table timeout_widgets (id integer primary key, owner_id integer not null, name varchar(40) not null)')
    await ctx.db.raw(
      postgres
        ? 'create view timeout_slow_widgets as select w.* from timeout_widgets w, pg_sleep(3) s'
        : 'create view timeout_slow_widgets as select * from timeout_widgets where sleep(3) = 0',
    )
    await ctx.db.table('timeout_owners').insert({ id: 1, name: 'owner' })
    await ctx.db.table('timeout_widgets').insert({ id: 1, owner_id: 1, name: 'first' })
    // A second database without a timeout, to hold locks the timed connection waits on.
    other = await connect(ctx.target.config())
  })
  afterAll(async () => {
    await other?.close()
  })

  /** Runs `fn`, expects QueryTimeoutError within the bound, then a working connection. */
  async function timesOut(fn: () => Promise<unknown>): Promise<QueryTimeoutError> {
    const started = Date.now()
    const error = await fn().then(
      () => undefined,
      (e: unknown) => e,
    )
    const elapsed = Date.now() - started
    expect(error).toBeInstanceOf(QueryTimeoutError)
    expect((error as QueryTimeoutError).timeoutMs).toBe(TIMEOUT_MS)
    expect(elapsed).toBeLessThan(BOUND_MS)
    // The one pooled connection was given back and answers.
    expect((await Widget.findOrFail(1)).name).toBe('first')
    expect(ctx.db.stats().default!.write.used).toBe(0)
    return error as QueryTimeoutError
  }

  it('a model query (the issue\'s whereRaw sleep) is cancelled', async () => {
    const error = await timesOut(() => Widget.query().whereRaw(sleeps, [3]).first())
    expect(error.sql).toContain('timeout_widgets')
    expect(error.sql).not.toContain('3')
  })

  it('db.table() builders are cancelled', async () => {
    await timesOut(() => ctx.db.table('timeout_widgets').whereRaw(sleeps, [3]).select('*'))
  })

  it('aggregates and pagination are cancelled', async () => {
    await timesOut(() => Widget.query().whereRaw(sleeps, [3]).count())
    await timesOut(() => Widget.query().whereRaw(sleeps, [3]).paginate(1, 10))
  })

  it('a find by key (a prepared statement) is cancelled', async () => {
    await timesOut(() => SlowWidget.find(1))
  })

  it('an eager load is cancelled', async () => {
    await timesOut(() => Owner.query().with('slowWidgets').get())
  })

  it('a statement inside a transaction is cancelled and the transaction rolls back', async () => {
    await timesOut(() =>
      ctx.db.transaction(async () => {
        await Widget.query().where('id', 1).update({ name: 'inside' })
        await Widget.query().whereRaw(sleeps, [3]).first()
      }),
    )
    expect((await Widget.findOrFail(1)).name).toBe('first')
  })

  it('writes waiting on a lock are cancelled: save(), mass update, create()', async () => {
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    let locked!: () => void
    const isLocked = new Promise<void>((resolve) => (locked = resolve))
    // Another connection locks the row (and, for the insert, holds an uncommitted duplicate key).
    const holder = other.transaction(async (trx) => {
      await trx.table('timeout_widgets').where('id', 1).forUpdate().select('id')
      await trx.table('timeout_widgets').insert({ id: 2, owner_id: 1, name: 'pending' })
      locked()
      await held
      throw new Error('roll back')
    })
    try {
      await isLocked
      const widget = await Widget.findOrFail(1)
      widget.name = 'renamed'
      await timesOut(() => widget.save())
      await timesOut(() => Widget.query().where('id', 1).update({ name: 'mass' }))
      await timesOut(() => Widget.create({ id: 2, ownerId: 1, name: 'duplicate' }))
    } finally {
      release()
      await holder.catch(() => undefined)
    }
    // Nothing the cancelled writes sent was kept.
    expect(await ctx.db.table('timeout_widgets').orderBy('id').pluck('name')).toEqual(['first'])
  })

  it('a statement within the timeout is unaffected, and .timeout() on a builder still wins', async () => {
    expect((await Widget.query().whereRaw(sleeps, [0.05]).first())?.name).toBe('first')
    const error = await ctx.db.table('timeout_widgets').whereRaw(sleeps, [3]).select('*').timeout(150, { cancel: true }).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(QueryTimeoutError)
    expect((error as QueryTimeoutError).timeoutMs).toBe(150)
  })
}, { when: (supports) => supports.cancelQuery, connect: { queryTimeoutMs: TIMEOUT_MS, pool: { min: 1, max: 1 } } })
