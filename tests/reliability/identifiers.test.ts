import fc from 'fast-check'
import { beforeAll, expect, it } from 'vitest'
import {
  belongsTo, type BelongsTo, column, hasMany, type HasMany, InvalidCursorError, Model, type ModelQuery, QuarryError,
  RelationNotFoundError, table, UnknownColumnError,
} from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'
import { FRAGMENTS, hostileString } from './support/hostile-values.js'

/**
 * A column, relation, scope or direction name that is not declared never reaches SQL: every one
 * is refused with a Quarry error before any statement is sent (checked through query events).
 * A tampered or foreign `cursorPaginate` cursor is `InvalidCursorError`, with no query sent.
 */

@table('rel_authors')
class Author extends Model {
  @column.primary() declare id: number
  @column() declare name: string
  @column() declare email: string
  @hasMany(() => Book, { foreignKey: 'authorId' }) declare books: HasMany<Book>

  static scopes = {
    named: (q: ModelQuery<Author>, name: string) => q.where('name', name),
  }
  static globalScopes = {
    visible: (q: ModelQuery<Author>) => q.whereNotNull('name'),
  }
}

@table('rel_books')
class Book extends Model {
  @column.primary() declare id: number
  @column() declare authorId: number
  @column() declare title: string
  @belongsTo(() => Author, { foreignKey: 'authorId' }) declare author: BelongsTo<Author>
}

/**
 * `other_table.column` with plain identifiers is how joined tables are named: it is passed on,
 * quoted (see the join test below); these are left out of the hostile names.
 */
const JOINABLE = /^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?\.([A-Za-z_][A-Za-z0-9_$]*|\*)$/
const DECLARED = new Set(['id', 'name', 'email', 'rel_authors.id', 'rel_authors.name', 'rel_authors.email'])
/** Names built to break out of identifier quoting, plus the names of members every object has. */
const hostileNames = fc.oneof(
  hostileString,
  fc.constantFrom(
    'id; drop table rel_authors; --', 'name"', 'name` --', 'email\' or 1=1 --', '*', 'rel_authors.*) from rel_authors --',
    'rel_authors.password', 'rel_authors.name"; --', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty',
    'valueOf', '$attributes', 'save', 'books', 'author_id', 'NAME', 'Name ', ' name', 'name\u0000', 'id--', '(select 1)',
    ...FRAGMENTS,
  ),
).filter((name) => !DECLARED.has(name) && !JOINABLE.test(name))

/** Every way a column name reaches a query, each given the hostile name. */
const COLUMN_USES: Array<[string, (name: string) => Promise<unknown> | unknown]> = [
  ['where', (n) => Author.query().where(n as 'name', 'x').get()],
  ['where operator', (n) => Author.query().where(n as 'name', '>', 'm').get()],
  ['orWhere', (n) => Author.query().where('id', 1).orWhere(n as 'name', 'x').get()],
  ['whereIn', (n) => Author.query().whereIn(n as 'name', ['a', 'b']).get()],
  ['whereNull', (n) => Author.query().whereNull(n as 'name').get()],
  ['whereBetween', (n) => Author.query().whereBetween(n as 'id', [1, 2]).get()],
  ['whereLike', (n) => Author.query().whereLike(n as 'name', 'a%').get()],
  ['whereColumn', (n) => Author.query().whereColumn('name', n as 'email').get()],
  ['orderBy', (n) => Author.query().orderBy(n as 'name', 'asc').get()],
  ['select', (n) => Author.query().select(n as 'name').get()],
  ['groupBy', (n) => Author.query().select('name').groupBy(n as 'name').get()],
  ['pluck', (n) => Author.query().pluck(n as 'name')],
  ['max', (n) => Author.query().max(n as 'id')],
  ['findBy', (n) => Author.findBy(n as 'name', 'x')],
  ['mass update', (n) => Author.query().update({ [n]: 'x' } as never)],
  ['create', (n) => Author.create({ name: 'a', email: 'b', [n]: 'x' } as never)],
  ['insert', (n) => Author.insert([{ name: 'a', email: 'b', [n]: 'x' } as never])],
  ['upsert uniqueBy', (n) => Author.upsert([{ name: 'a', email: 'b' }], [n as 'email'])],
  ['upsert updateColumns', (n) => Author.upsert([{ name: 'a', email: 'b' }], ['email'], [n as 'name'])],
  ['firstOrCreate', (n) => Author.firstOrCreate({ [n]: 'x' } as never)],
  ['increment', async (n) => (await Author.query().firstOrFail()).increment(n as 'id')],
]

forEachDialect('identifiers never reach SQL', (ctx) => {
  let sql: string[] = []
  let recording = false

  beforeAll(async () => {
    await ctx.db.knex.schema.createTable('rel_authors', (t) => {
      t.increments('id')
      t.string('name').nullable()
      t.string('email').notNullable().unique()
    })
    await ctx.db.knex.schema.createTable('rel_books', (t) => {
      t.increments('id')
      t.integer('author_id').notNullable()
      t.string('title').notNullable()
    })
    for (const Class of [Author, Book]) Class.useConnection(ctx.db.connection())
    const author = await Author.create({ name: 'Ada', email: 'ada@example.com' })
    await Book.create({ authorId: author.id, title: 'Notes' })
    ctx.db.on('query', (e) => {
      if (recording) sql.push(e.sql)
    })
  })

  /** The error `fn` fails with, and the SQL it sent. */
  async function refusal(fn: () => Promise<unknown> | unknown): Promise<{ error: unknown; sql: string[] }> {
    sql = []
    recording = true
    try {
      await fn()
      return { error: undefined, sql }
    } catch (error) {
      return { error, sql }
    } finally {
      recording = false
    }
  }

  it(`column names: ${COLUMN_USES.length} uses x 100 hostile names each, every one UnknownColumnError with no SQL sent`, async () => {
    await fc.assert(
      fc.asyncProperty(hostileNames, fc.nat({ max: COLUMN_USES.length - 1 }), async (name, use) => {
        const [what, run] = COLUMN_USES[use]!
        // select('*') is the one place a star is a column list.
        if (what === 'select' && name === '*') return
        // increment() loads its model first: that read is not the refused statement.
        const result = await refusal(async () => {
          const prepared = what === 'increment' ? await Author.query().firstOrFail() : undefined
          sql = []
          return prepared ? prepared.increment(name as 'id') : run(name)
        })
        if (!(result.error instanceof UnknownColumnError)) {
          throw new Error(`${what}(${JSON.stringify(name)}): expected ${UnknownColumnError.name}, got ${String(result.error)}; sent ${JSON.stringify(result.sql)}`)
        }
        expect((result.error as Error).message).toContain(name.length > 200 ? name.slice(0, 200) : name)
        expect(result.sql).toEqual([])
      }),
      { numRuns: COLUMN_USES.length * 100, seed: 7 },
    )
    // And each use with each of the named hostile identifiers, not left to chance.
    for (const [what, run] of COLUMN_USES) {
      for (const name of ['id; drop table rel_authors; --', 'name"', '*', '__proto__', 'constructor', 'rel_authors.password']) {
        if (what === 'select' && name === '*') continue
        const result = await refusal(async () => {
          const prepared = what === 'increment' ? await Author.query().firstOrFail() : undefined
          sql = []
          return prepared ? prepared.increment(name as 'id') : run(name)
        })
        expect(result.error, `${what}(${name})`).toBeInstanceOf(UnknownColumnError)
        expect(result.sql, `${what}(${name})`).toEqual([])
      }
    }
    expect(await Author.query().count()).toBe(1)
  })

  it('a joined table\'s column is named as table.column and quoted; anything else dotted is refused', async () => {
    const joined = await Author.query().join('rel_books', 'rel_authors.id', 'rel_books.author_id').where('rel_books.title', 'Notes').pluck('name')
    expect(joined).toEqual(['Ada'])
    for (const name of ['rel_books.title"; --', 'x.y z', '.name', 'a..b', 'rel_books.title--', ' rel_books.title']) {
      const result = await refusal(() => Author.query().where(name as 'name', 'x').get())
      expect(result.error, name).toBeInstanceOf(UnknownColumnError)
      expect(result.sql).toEqual([])
    }
  })

  it('the error names the model and the column, and suggests declared ones', async () => {
    const { error } = await refusal(() => Author.query().where('nmae' as 'name', 'x').get())
    expect(error).toBeInstanceOf(UnknownColumnError)
    expect(error).toMatchObject({ model: 'Author', column: 'nmae' })
    expect((error as UnknownColumnError).suggestions).toContain('name')
  })

  it('relation names: unknown ones are RelationNotFoundError listing the relations, with no SQL sent', async () => {
    const author = (await Author.query().firstOrFail())
    const uses: Array<[string, (name: string) => Promise<unknown> | unknown]> = [
      ['with', (n) => Author.query().with(n as 'books').get()],
      ['with nested', (n) => Author.query().with(`books.${n}` as 'books').get()],
      ['withCount', (n) => Author.query().withCount(n as 'books').get()],
      ['whereHas', (n) => Author.query().whereHas(n as 'books').get()],
      ['load', (n) => author.load(n as 'books')],
      ['related', (n) => author.related(n as 'books')],
    ]
    for (const name of ['bookz', 'books; drop table rel_books', '__proto__', 'constructor', 'toString', 'name', 'save', '']) {
      for (const [what, run] of uses) {
        const result = await refusal(() => run(name))
        // An empty name is not a name: a QuarryError saying so.
        expect(result.error, `${what}(${name})`).toBeInstanceOf(name ? RelationNotFoundError : QuarryError)
        expect(result.sql, `${what}(${name})`).toEqual([])
      }
    }
    const { error } = await refusal(() => Author.query().with('bookz' as 'books').get())
    expect((error as Error).message).toContain('books')
  })

  it('scope names: unknown local and global scopes are refused before any SQL, inherited object members included', async () => {
    for (const name of ['nope', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'named ', 'visible']) {
      const local = await refusal(() => Author.query().scope(name as 'named', 'x').get())
      expect(local.error, `scope(${name})`).toBeInstanceOf(QuarryError)
      expect((local.error as Error).message).toMatch(/has no scope/)
      expect(local.sql).toEqual([])
    }
    for (const name of ['nope', '__proto__', 'constructor', 'named']) {
      const global = await refusal(() => Author.query().withoutGlobalScope(name as never).get())
      expect(global.error, `withoutGlobalScope(${name})`).toBeInstanceOf(QuarryError)
      expect(global.sql).toEqual([])
    }
    // The declared ones still work.
    expect((await Author.query().scope('named', 'Ada').get()).map((a) => a.name)).toEqual(['Ada'])
  })

  it('directions: anything but asc/desc is a QuarryError before any SQL', async () => {
    for (const direction of ['asc; drop table rel_authors', 'desc, (select 1)', 'ASC--', 'sideways', '', ' asc', 'desc nulls first']) {
      const result = await refusal(() => Author.query().orderBy('name', direction as 'asc').get())
      expect(result.error, direction).toBeInstanceOf(QuarryError)
      expect((result.error as Error).message).toContain("use 'asc' or 'desc'")
      expect(result.sql).toEqual([])
    }
  })

  it('cursors: tampered, truncated, foreign or from another ordering are InvalidCursorError with no query sent', async () => {
    await Author.create({ name: 'Bea', email: 'bea@example.com' })
    const real = (await Author.query().orderBy('name').cursorPaginate(1)).nextCursor!
    const other = (await Book.query().orderBy('title').cursorPaginate(0 + 1)).nextCursor
    const otherOrdering = (await Author.query().orderBy('email').cursorPaginate(1)).nextCursor!
    const [body, sum] = real.split('.') as [string, string]
    const flipped = body.slice(0, 5) + (body[5] === 'A' ? 'B' : 'A') + body.slice(6)
    const bad = [
      `${flipped}.${sum}`, real.slice(0, -1), `${body}.`, body, `${real}.x`, `${body}.${sum.toUpperCase()}`,
      Buffer.from('{"s":"x","d":"n","v":[1,2]}').toString('base64url') + `.${sum}`, 'garbage', '🙂', ' ',
      otherOrdering, ...(other ? [other] : []),
    ]
    for (const cursor of bad) {
      const result = await refusal(() => Author.query().orderBy('name').cursorPaginate(1, cursor))
      expect(result.error, cursor).toBeInstanceOf(InvalidCursorError)
      expect(result.sql).toEqual([])
    }
    const page = await Author.query().orderBy('name').cursorPaginate(1, real)
    expect(page.data.map((a) => a.name)).toEqual(['Bea'])
  })
})
