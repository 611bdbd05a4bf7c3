import { beforeAll, beforeEach, expect, it } from 'vitest'
import { column, isUuid, isUuidV7, Model, slug, StaleModelError, table, uuidv7 } from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'
import { createSchema, Post, truncate } from './models.js'

@table('posts')
class EditablePost extends Model {
  @column.primary({ type: 'uuid' }) declare id: string
  @column() declare authorId: number
  @column() declare title: string
  @column.slug({ from: 'title', onUpdate: true }) declare slug: string
  @column.boolean() declare published: boolean
  @column.version() declare version: number
  @column.createdAt() declare createdAt: Date
  @column.updatedAt() declare updatedAt: Date
}

forEachDialect('slugs and optimistic locking', (ctx) => {
  beforeAll(async () => {
    await createSchema(ctx.db)
  })
  beforeEach(async () => {
    await truncate(ctx.db, 'posts')
  })

  const make = (title: string) => Post.create({ authorId: 1, title, published: true })

  it('a slug is made from its source and made unique: hello, hello-2, hello-3', async () => {
    expect((await make('Hello')).slug).toBe('hello')
    expect((await make('Hello')).slug).toBe('hello-2')
    expect((await make('hello!')).slug).toBe('hello-3')
    expect((await make('Héllo Wörld: part 2')).slug).toBe('hello-world-part-2')
    expect((await make('Hello World')).slug).toBe('hello-world')
    expect((await make('中文')).slug).toBe('post')
    expect((await Post.findBySlug('hello-2'))!.title).toBe('Hello')
    expect(await Post.findBySlug('nope')).toBeNull()
  })

  it('an explicit slug is kept; the slug stays put on update unless onUpdate', async () => {
    const explicit = await Post.create({ authorId: 1, title: 'Anything', slug: 'chosen', published: true })
    expect(explicit.slug).toBe('chosen')
    const post = await make('First title')
    post.title = 'Second title'
    await post.save()
    expect(post.slug).toBe('first-title')
    const editable = await EditablePost.findOrFail(post.id)
    editable.title = 'Third title'
    await editable.save()
    expect(editable.slug).toBe('third-title')
  })

  it('slugs stay unique under concurrent inserts of the same title', async () => {
    const posts = await Promise.all(Array.from({ length: 12 }, () => make('Same title')))
    const slugs = posts.map((p) => p.slug).sort()
    expect(new Set(slugs).size).toBe(12)
    expect(slugs).toContain('same-title')
    const stored = (await ctx.db.table('posts').select('slug')).map((r) => r.slug)
    expect(new Set(stored).size).toBe(12)
  })

  it('the version starts at 1 and goes up by one per update', async () => {
    const post = await make('Versioned')
    expect(post.version).toBe(1)
    post.title = 'Versioned again'
    await post.save()
    expect(post.version).toBe(2)
    post.published = false
    await post.save()
    expect(post.version).toBe(3)
    expect((await Post.findOrFail(post.id)).version).toBe(3)
    await post.save()
    expect(post.version).toBe(3)
  })

  it('saving a stale copy throws StaleModelError and writes nothing', async () => {
    const post = await make('Contended')
    const mine = await Post.findOrFail(post.id)
    const theirs = await Post.findOrFail(post.id)
    theirs.title = 'Theirs'
    await theirs.save()
    mine.title = 'Mine'
    const error = await mine.save().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StaleModelError)
    expect(error).toMatchObject({ model: 'Post', ids: post.id, version: 1 })
    const [row] = await ctx.db.table('posts').where('id', post.id)
    expect(row!.title).toBe('Theirs')
    expect(Number(row!.version)).toBe(2)
    // Regression: the failed save left the copy as it was, version and updatedAt included.
    expect(mine.version).toBe(1)
    expect(mine.title).toBe('Mine')
    expect(mine.getDirty()).toEqual({ title: 'Mine' })
    await mine.refresh()
    mine.title = 'Mine, after refresh'
    await mine.save()
    expect(mine.version).toBe(3)
  })

  it('a mass update bumps the version, so loaded copies become stale', async () => {
    const post = await make('Mass')
    expect(await Post.query().where('id', post.id).update({ published: false })).toBe(1)
    post.title = 'Late'
    await expect(post.save()).rejects.toBeInstanceOf(StaleModelError)
    expect((await Post.findOrFail(post.id)).version).toBe(2)
  })

  it('helpers: uuidv7, isUuid, isUuidV7, slug', () => {
    const a = uuidv7()
    const b = uuidv7()
    expect(isUuidV7(a)).toBe(true)
    expect(a < b).toBe(true)
    expect(isUuid('123e4567-e89b-12d3-a456-426614174000')).toBe(true)
    expect(isUuidV7('123e4567-e89b-12d3-a456-426614174000')).toBe(false)
    expect(isUuid('not-a-uuid')).toBe(false)
    expect(isUuid(42)).toBe(false)
    expect(slug('  Ça va? Très bien!  ')).toBe('ca-va-tres-bien')
    expect(slug('')).toBe('')
  })
})
