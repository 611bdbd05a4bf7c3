import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest'
import {
  belongsToMany,
  type BelongsToMany,
  column,
  connect,
  type Database,
  ForeignKeyViolationError,
  Model,
  NotNullViolationError,
  QuarryError,
  table,
} from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'
import { failures } from './support/counter.js'

/**
 * Races on one pivot row (API §8): concurrent `attach`, `sync(ids, false)` and `toggle` of one
 * pair leave at most one pivot row and reject nothing, when the pivot has a unique index over its
 * keys; a duplicate is skipped by the database (insert-or-ignore), every other failure still
 * raises. A pivot without such an index cannot skip what it cannot see.
 */

@table('cp_articles')
class Article extends Model {
  @column.primary() declare id: number
  @column() declare title: string

  static fillable = ['title']
}

@table('cp_readers')
class Reader extends Model {
  @column.primary() declare id: number
  @column() declare name: string
  @belongsToMany(() => Article, { pivotTable: 'cp_favourites', pivotForeignKey: 'reader_id', pivotRelatedForeignKey: 'article_id', pivotColumns: ['note'], pivotTimestamps: true })
  declare favourites: BelongsToMany<Article>
  @belongsToMany(() => Article, { pivotTable: 'cp_bookmarks', pivotForeignKey: 'reader_id', pivotRelatedForeignKey: 'article_id' })
  declare bookmarks: BelongsToMany<Article>
  @belongsToMany(() => Article, { pivotTable: 'cp_ratings', pivotForeignKey: 'reader_id', pivotRelatedForeignKey: 'article_id', pivotColumns: ['stars'] })
  declare ratings: BelongsToMany<Article>

  static fillable = ['name']
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i)
const LONG = { timeout: 120_000 }
const RACERS = 12

forEachDialect('concurrency: races on one pivot row', (ctx) => {
  let db: Database

  beforeAll(async () => {
    const schema = () => ctx.db.knex.schema
    await schema().createTable('cp_articles', (t) => {
      t.increments('id')
      t.string('title').notNullable()
    })
    await schema().createTable('cp_readers', (t) => {
      t.increments('id')
      t.string('name').notNullable()
    })
    // The pair is the primary key: what makes attach race-safe.
    await schema().createTable('cp_favourites', (t) => {
      t.integer('reader_id').unsigned().notNullable().references('id').inTable('cp_readers')
      t.integer('article_id').unsigned().notNullable().references('id').inTable('cp_articles')
      t.string('note').nullable()
      t.datetime('created_at', { precision: 3 }).nullable()
      t.datetime('updated_at', { precision: 3 }).nullable()
      t.primary(['reader_id', 'article_id'])
    })
    // A surrogate key and a unique index over the pair: the same.
    await schema().createTable('cp_ratings', (t) => {
      t.increments('id')
      t.integer('reader_id').notNullable()
      t.integer('article_id').notNullable()
      t.integer('stars').notNullable().defaultTo(3)
      t.unique(['reader_id', 'article_id'])
    })
    // No unique index over the pair.
    await schema().createTable('cp_bookmarks', (t) => {
      t.integer('reader_id').notNullable()
      t.integer('article_id').notNullable()
    })
    db = await connect(ctx.target.config({ pool: { min: 0, max: 10, acquireTimeoutMs: 120_000 } }))
    for (const Class of [Article, Reader]) Class.useConnection(db.connection())
  })

  afterAll(async () => {
    await db?.close()
  })

  beforeEach(async () => {
    for (const name of ['cp_favourites', 'cp_ratings', 'cp_bookmarks', 'cp_articles', 'cp_readers']) await ctx.db.knex(name).delete()
  })

  const pairs = async (pivot: string) =>
    ((await ctx.db.table(pivot).select('reader_id', 'article_id').orderBy(['reader_id', 'article_id'])) as Array<Record<string, unknown>>).map((r) => [
      Number(r.reader_id),
      Number(r.article_id),
    ])

  async function seed() {
    const reader = await Reader.create({ name: 'Ada' })
    const article = await Article.create({ title: 'Engines' })
    const other = await Article.create({ title: 'Notes' })
    return { reader, article, other }
  }

  it(`attach: ${RACERS} concurrent attaches of one pair, alone or each in a transaction, leave one row and reject nothing`, LONG, async () => {
    const { reader, article } = await seed()
    for (const inTransaction of [false, true]) {
      await ctx.db.table('cp_favourites').delete()
      // Separate model instances, as separate requests would have.
      const readers = await Promise.all(range(RACERS).map(() => Reader.findOrFail(reader.id)))
      const attach = (r: Reader, i: number) => r.related('favourites').attach([article.id], { note: `racer ${i}` })
      const settled = await Promise.allSettled(readers.map((r, i) => (inTransaction ? db.transaction(() => attach(r, i)) : attach(r, i))))
      expect(failures(settled)).toEqual([])
      expect(await pairs('cp_favourites')).toEqual([[reader.id, article.id]])
      const [row] = await ctx.db.table('cp_favourites').select('note')
      expect(range(RACERS).map((i) => `racer ${i}`)).toContain(row!.note)
    }
  })

  it(`sync(ids, false): ${RACERS} concurrent calls for one pair leave one row and reject nothing`, LONG, async () => {
    const { reader, article, other } = await seed()
    const readers = await Promise.all(range(RACERS).map(() => Reader.findOrFail(reader.id)))
    const settled = await Promise.allSettled(readers.map((r) => r.related('favourites').sync([article.id, other.id], false)))
    expect(failures(settled)).toEqual([])
    expect(await pairs('cp_favourites')).toEqual([[reader.id, article.id], [reader.id, other.id]])
    const ratings = await Promise.allSettled(readers.map((r) => r.related('ratings').sync({ [article.id]: { stars: 5 } }, false)))
    expect(failures(ratings)).toEqual([])
    expect(await pairs('cp_ratings')).toEqual([[reader.id, article.id]])
  })

  it(`toggle: ${RACERS} concurrent toggles of one pair reject nothing and never leave two rows`, LONG, async () => {
    const { reader, article } = await seed()
    const readers = await Promise.all(range(RACERS).map(() => Reader.findOrFail(reader.id)))
    const settled = await Promise.allSettled(readers.map((r) => r.related('favourites').toggle([article.id])))
    expect(failures(settled)).toEqual([])
    expect((await pairs('cp_favourites')).length).toBeLessThanOrEqual(1)
  })

  it('a unique index over the pair on a surrogate-keyed pivot: concurrent attaches leave one row', LONG, async () => {
    const { reader, article } = await seed()
    const readers = await Promise.all(range(RACERS).map(() => Reader.findOrFail(reader.id)))
    const settled = await Promise.allSettled(readers.map((r) => r.related('ratings').attach([article.id], { stars: 4 })))
    expect(failures(settled)).toEqual([])
    expect(await pairs('cp_ratings')).toEqual([[reader.id, article.id]])
  })

  it('attach of a pair already attached is skipped: no error, the first row and its values kept', async () => {
    const { reader, article, other } = await seed()
    await reader.related('favourites').attach([article.id], { note: 'first' })
    await reader.related('favourites').attach([article.id, other.id, other.id], { note: 'second' })
    expect(await pairs('cp_favourites')).toEqual([[reader.id, article.id], [reader.id, other.id]])
    const notes = (await ctx.db.table('cp_favourites').orderBy('article_id').select('note')).map((r) => r.note)
    expect(notes).toEqual(['first', 'second'])
    // updatePivot is how a value of an existing pair changes.
    await reader.related('favourites').updatePivot(article.id, { note: 'changed' })
    expect((await ctx.db.table('cp_favourites').where('article_id', article.id).first())!.note).toBe('changed')
  })

  it('other failures still raise, and leave the pivot as it was', async () => {
    const { reader, article } = await seed()
    await reader.related('favourites').attach([article.id])
    // A key no article has: the foreign key still refuses it (no blanket INSERT IGNORE).
    await expect(reader.related('favourites').attach([article.id, 999_999])).rejects.toBeInstanceOf(ForeignKeyViolationError)
    await expect(reader.related('ratings').attach([article.id], { stars: null })).rejects.toBeInstanceOf(NotNullViolationError)
    // Bad input: an error before any SQL.
    await expect(reader.related('favourites').attach([{ id: 1 }] as never)).rejects.toBeInstanceOf(QuarryError)
    await expect(reader.related('favourites').attach([article.id], { nope: 1 } as never)).rejects.toThrow(/"nope" is not a pivot column/)
    await expect(reader.related('favourites').sync(null as never, false)).rejects.toBeInstanceOf(QuarryError)
    await expect(new Reader().related('favourites').attach([article.id])).rejects.toThrow(/save it before/)
    expect(await pairs('cp_favourites')).toEqual([[reader.id, article.id]])
    expect(await pairs('cp_ratings')).toEqual([])
  })

  it('without a unique index over the pair nothing can be skipped: a repeated attach adds a second row (docs/relations.md)', async () => {
    const { reader, article } = await seed()
    await reader.related('bookmarks').attach([article.id])
    await reader.related('bookmarks').attach([article.id])
    expect(await pairs('cp_bookmarks')).toEqual([[reader.id, article.id], [reader.id, article.id]])
    // sync and toggle read the pivot first, so called one after another they stay exact.
    await ctx.db.table('cp_bookmarks').delete()
    await reader.related('bookmarks').sync([article.id], false)
    await reader.related('bookmarks').sync([article.id], false)
    expect(await pairs('cp_bookmarks')).toEqual([[reader.id, article.id]])
  })
})
