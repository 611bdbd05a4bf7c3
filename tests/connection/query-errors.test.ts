// No driver error escapes (issue 13, item 7): every failed statement rejects with a QuarryError —
// a constraint error of §7, else QueryError (code E_QUERY, the driver's error as cause, the SQL
// with placeholders) — and no message carries a bound value.
import fc from 'fast-check'
import { beforeAll, expect, it } from 'vitest'
import {
  column,
  Model,
  NotNullViolationError,
  QuarryError,
  QueryError,
  table,
  UniqueViolationError,
} from '../../src/index.js'
import { forEachDialect, type TestDialect } from '../support/databases.js'

@table('qe_items')
class Item extends Model {
  @column.primary() declare id: number
  @column() declare name: string
  @column() declare qty: number
  @column() declare note: string | null
}

/** A model whose table was never created. */
@table('qe_missing')
class Ghost extends Model {
  @column.primary() declare id: number
  @column() declare name: string
}

/** Resolves to what `promise` rejected with; fails the test when it resolves. */
async function failure(promise: PromiseLike<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected the statement to fail, and it succeeded')
}

forEachDialect('failed statements are QuarryErrors', (ctx) => {
  beforeAll(async () => {
    await ctx.db.raw(
      'create table qe_items (id integer primary key, name varchar(20) not null unique, qty integer not null, ' +
        'note varchar(200), check (qty >= 0))',
    )
    await ctx.db.table('qe_items').insert({ id: 1, name: 'first', qty: 1 })
  })

  /** Asserts a QueryError of `kind` whose message keeps the driver's words and no value. */
  function expectQueryError(error: unknown, kind: QueryError['kind'] | Array<QueryError['kind']>, secret: string): QueryError {
    expect(error).toBeInstanceOf(QueryError)
    const query = error as QueryError
    expect(query.code).toBe('E_QUERY')
    expect([kind].flat()).toContain(query.kind)
    expect(query.cause).toBeInstanceOf(Error)
    expect(query.cause).not.toBeInstanceOf(QuarryError)
    expect(query.message).not.toContain(secret)
    expect(query.sql ?? '').not.toContain(secret)
    return query
  }

  it('a model query on a missing table is a QueryError naming the table', async () => {
    const error = await failure(Ghost.query().where('name', 'hidden-1').first())
    const query = expectQueryError(error, 'unknown-table', 'hidden-1')
    expect(query.message).toContain('qe_missing')
    expect(query.sql).toMatch(/qe_missing/)
    await expect(Ghost.find(3)).rejects.toBeInstanceOf(QueryError)
    await expect(Ghost.create({ name: 'hidden-2' })).rejects.toBeInstanceOf(QueryError)
  })

  it('a syntax error inside whereRaw is a QueryError of kind syntax', async () => {
    const error = await failure(Item.query().whereRaw('name = = ?', ['hidden-3']).get())
    expectQueryError(error, 'syntax', 'hidden-3')
  })

  it('a qualified column of a table not in the query is a QuarryError; through db.table a QueryError', async () => {
    const model = await failure(Item.query().where('nowhere.name' as 'name', 'hidden-4').get())
    expect(model).toBeInstanceOf(QuarryError)
    expect((model as Error).message).not.toContain('hidden-4')
    const plain = await failure(ctx.db.table('qe_items').where('nowhere.name', 'hidden-5'))
    expectQueryError(plain, ['unknown-column', 'unknown-table'], 'hidden-5')
  })

  it('a NUL byte in a text value is refused with a QuarryError where the database cannot store it, else round-trips', async () => {
    const value = 'nul\u0000hidden-6'
    const outcome = await Item.create({ id: 6, name: 'six', qty: 1, note: value }).then(
      () => undefined,
      (e: unknown) => e,
    )
    if (outcome === undefined) {
      expect((await Item.findOrFail(6)).note).toBe(value)
      await ctx.db.table('qe_items').where('id', 6).delete()
    } else {
      expect(outcome).toBeInstanceOf(QuarryError)
      expect((outcome as Error).message).not.toContain('hidden-6')
      expect(await ctx.db.table('qe_items').where('id', 6).first()).toBeUndefined()
    }
    if (ctx.dialect === 'postgres') {
      const query = expectQueryError(outcome, 'invalid-value', 'hidden-6')
      expect(query.message).toContain('0x00')
    }
  })

  it('a CHECK constraint is a QueryError of kind check-violation and writes nothing', async () => {
    const error = await failure(Item.create({ id: 7, name: 'hidden-7', qty: -1 }))
    expectQueryError(error, 'check-violation', 'hidden-7')
    expect(await ctx.db.table('qe_items').where('id', 7).first()).toBeUndefined()
  })

  it('an unknown column in raw SQL, a failing aggregate and a failing paginate are QueryErrors', async () => {
    expectQueryError(await failure(ctx.db.raw('select nope from qe_items where name = ?', ['hidden-8'])), 'unknown-column', 'hidden-8')
    expectQueryError(await failure(Item.query().whereRaw('nope = ?', ['hidden-9']).count()), 'unknown-column', 'hidden-9')
    expectQueryError(await failure(Item.query().whereRaw('nope = ?', ['hidden-10']).paginate(1, 5)), 'unknown-column', 'hidden-10')
  })

  it('a failing statement inside a transaction rejects it with the QueryError and rolls back', async () => {
    const error = await failure(
      ctx.db.transaction(async () => {
        await Item.create({ id: 11, name: 'eleven', qty: 1 })
        await ctx.db.raw('select * from qe_nowhere where name = ?', ['hidden-11'])
      }),
    )
    expectQueryError(error, 'unknown-table', 'hidden-11')
    expect(await ctx.db.table('qe_items').where('id', 11).first()).toBeUndefined()
  })

  it('a query event carries the same QueryError', async () => {
    const seen: unknown[] = []
    const off = ctx.db.on('query', (e) => seen.push(e.error))
    const error = await failure(ctx.db.raw('select * from qe_nowhere'))
    off()
    expect(seen).toEqual([error])
    expect(error).toBeInstanceOf(QueryError)
  })

  it('a value the column cannot hold is a QueryError of kind invalid-value; SQLite and libSQL store it', async () => {
    const insert = ctx.db.table('qe_items').insert({ id: 12, name: 'twelve', qty: 'hidden-12' })
    if (embedded(ctx.dialect)) {
      await insert
      expect((await ctx.db.table('qe_items').where('id', 12).first())?.qty).toBe('hidden-12')
      await ctx.db.table('qe_items').where('id', 12).delete()
    } else {
      expectQueryError(await failure(insert), 'invalid-value', 'hidden-12')
    }
  })
})

/** SQLite and libSQL store any value in any column; there is nothing to refuse. */
function embedded(dialect: TestDialect): boolean {
  return dialect === 'sqlite' || dialect === 'libsql'
}

forEachDialect('no failed statement escapes as a driver error, nor leaks a value (property)', (ctx) => {
  beforeAll(async () => {
    await ctx.db.raw(
      'create table qe_items (id integer primary key, name varchar(20) not null unique, qty integer not null, ' +
        'note varchar(200), check (qty >= 0))',
    )
    await ctx.db.table('qe_items').insert({ id: 1, name: 'first', qty: 1 })
  })

  const networked = !embedded(ctx.dialect)
  /** Statements that fail on this dialect whatever the value bound into them. */
  const statements: Array<[string, (value: string) => PromiseLike<unknown>]> = [
    ['model query on a missing table', (v) => Ghost.query().where('name', v).first()],
    ['model create on a missing table', (v) => Ghost.create({ name: v })],
    ['syntax error in whereRaw', (v) => Item.query().whereRaw('name = = ?', [v]).get()],
    ['syntax error in orderByRaw', (v) => Item.query().where('name', v).orderByRaw('name desc desc').get()],
    ['bad qualified column', (v) => ctx.db.table('qe_items').where('nowhere.name', v)],
    ['unknown column in an update', (v) => ctx.db.table('qe_items').where('id', 1).update({ nope: v })],
    ['unknown column in an insert', (v) => ctx.db.table('qe_items').insert({ id: 2, name: 'x', qty: 1, nope: v })],
    ['unknown column in a count', (v) => Item.query().whereRaw('nope = ?', [v]).count()],
    ['unknown column in a paginate', (v) => Item.query().whereRaw('nope = ?', [v]).paginate(1, 5)],
    ['duplicate primary key', (v) => Item.create({ id: 1, name: 'other', qty: 1, note: v })],
    ['missing NOT NULL value', (v) => ctx.db.table('qe_items').insert({ id: 3, name: null, qty: 1, note: v })],
    ['CHECK constraint', (v) => Item.create({ id: 4, name: 'four', qty: -1, note: v })],
    ['too many bindings', (v) => ctx.db.raw('select ? as a', [v, v])],
    ['raw on a missing table', (v) => ctx.db.raw('delete from qe_nowhere where name = ?', [v])],
    ['inside a transaction', (v) => ctx.db.transaction(() => ctx.db.raw('select * from qe_nowhere where name = ?', [v]))],
  ]
  if (networked) {
    statements.push(
      ['text into an integer column', (v) => ctx.db.table('qe_items').insert({ id: 5, name: 'five', qty: `x${v}` })],
      ['a value longer than its column', (v) => ctx.db.table('qe_items').insert({ id: 5, name: `${v}${'x'.repeat(30)}`, qty: 1 })],
    )
  }

  it('every statement rejects with a QuarryError whose message and SQL carry no bound value', async () => {
    // «…» marks the value, so a match can only be the value itself.
    const value = fc.string({ minLength: 1, maxLength: 24, unit: 'grapheme' }).map((s) => `«${s}»`)
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...statements), value, async ([, run], v) => {
        const error = await failure(run(v))
        expect(error).toBeInstanceOf(QuarryError)
        const quarry = error as QuarryError & { sql?: string }
        expect(quarry.message).not.toContain(v)
        expect(quarry.sql ?? '').not.toContain(v)
        if (!(error instanceof QueryError)) return
        expect(error.cause).not.toBeInstanceOf(QuarryError)
      }),
      { numRuns: 80 },
    )
    expect(await ctx.db.table('qe_items').pluck('id')).toEqual([1])
  })

  it('each statement of the property fails as a QuarryError of the expected class', async () => {
    for (const [name, run] of statements) {
      const error = await failure(run('«value»'))
      expect(error, name).toBeInstanceOf(QuarryError)
      if (name === 'duplicate primary key') expect(error, name).toBeInstanceOf(UniqueViolationError)
      if (name === 'missing NOT NULL value') expect(error, name).toBeInstanceOf(NotNullViolationError)
    }
  })
})

forEachDialect('unique violations name their table and columns', (ctx) => {
  beforeAll(async () => {
    await ctx.db.raw('create table qe_a (id integer primary key, code varchar(20) not null, region varchar(20) not null)')
    await ctx.db.raw('create table qe_b (id integer primary key, code varchar(20) not null)')
    await ctx.db.raw('create unique index qe_a_code_region on qe_a (code, region)')
    await ctx.db.table('qe_a').insert({ id: 1, code: 'c', region: 'r' })
    await ctx.db.table('qe_b').insert({ id: 1, code: 'c' })
  })

  const duplicate = (promise: PromiseLike<unknown>) => failure(promise) as Promise<UniqueViolationError>

  it('a composite unique index gives its table and both columns', async () => {
    const error = await duplicate(ctx.db.table('qe_a').insert({ id: 2, code: 'c', region: 'r' }))
    expect(error).toBeInstanceOf(UniqueViolationError)
    expect(error.table).toBe('qe_a')
    expect(error.columns).toEqual(['code', 'region'])
  })

  it('a duplicate primary key names the table written to (every table has a PRIMARY index)', async () => {
    const a = await duplicate(ctx.db.table('qe_a').insert({ id: 1, code: 'x', region: 'y' }))
    const b = await duplicate(ctx.db.table('qe_b').insert({ id: 1, code: 'x' }))
    expect([a.table, a.columns]).toEqual(['qe_a', ['id']])
    expect([b.table, b.columns]).toEqual(['qe_b', ['id']])
  })

  it('an index dropped and made again on other columns is read afresh after the DDL', async () => {
    await duplicate(ctx.db.table('qe_b').insert({ id: 1, code: 'x' }))
    await ctx.db.raw('create unique index qe_b_code on qe_b (code)')
    const first = await duplicate(ctx.db.table('qe_b').insert({ id: 2, code: 'c' }))
    expect([first.table, first.columns]).toEqual(['qe_b', ['code']])
    await ctx.db.raw(ctx.dialect === 'mysql' ? 'drop index qe_b_code on qe_b' : 'drop index qe_b_code')
    await ctx.db.raw('alter table qe_b add column alias varchar(20)')
    await ctx.db.table('qe_b').update({ alias: 'same' })
    await ctx.db.raw('create unique index qe_b_code on qe_b (alias)')
    const second = await duplicate(ctx.db.table('qe_b').insert({ id: 3, code: 'z', alias: 'same' }))
    expect([second.table, second.columns]).toEqual(['qe_b', ['alias']])
  })

  it('a NOT NULL violation names its table and column', async () => {
    const error = (await failure(ctx.db.table('qe_b').insert({ id: 9, code: null }))) as NotNullViolationError
    expect(error).toBeInstanceOf(NotNullViolationError)
    expect([error.table, error.columns]).toEqual(['qe_b', ['code']])
  })
})
