import { beforeAll, beforeEach, expect, it } from 'vitest'
import { QuarryError } from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'
import { createSchema, Post, truncate, User } from './models.js'

forEachDialect('soft deletes', (ctx) => {
  beforeAll(async () => {
    await createSchema(ctx.db)
  })
  beforeEach(async () => {
    await truncate(ctx.db, 'users', 'posts')
  })

  async function three() {
    const a = await User.create({ email: 'a@x.io', name: 'A', age: 10 })
    const b = await User.create({ email: 'b@x.io', name: 'B', age: 20 })
    const c = await User.create({ email: 'c@x.io', name: 'C', age: 30 })
    return [a, b, c] as const
  }

  it('delete() sets deletedAt and keeps the row; queries leave it out', async () => {
    const [a] = await three()
    expect(await a.delete()).toBe(true)
    expect(a.trashed()).toBe(true)
    expect(a.deletedAt).toBeInstanceOf(Date)
    expect(a.$isPersisted).toBe(true)
    const [row] = await ctx.db.table('users').where('id', a.id)
    expect(row!.deleted_at).not.toBeNull()
    expect(await User.find(a.id)).toBeNull()
    expect(await User.query().count()).toBe(2)
    expect((await User.all()).map((u) => u.name).sort()).toEqual(['B', 'C'])
  })

  it('withTrashed() and onlyTrashed()', async () => {
    const [a] = await three()
    await a.delete()
    expect(await User.query().withTrashed().count()).toBe(3)
    expect((await User.query().onlyTrashed()).map((u) => u.id)).toEqual([a.id])
    expect((await User.query().withTrashed().where('id', a.id).firstOrFail()).trashed()).toBe(true)
  })

  it('the soft-delete condition is ANDed with the whole where clause, or-branches included', async () => {
    const [a, b] = await three()
    await a.delete()
    const found = await User.query().where('name', 'A').orWhere('name', 'B').orderBy('name')
    expect(found.map((u) => u.id)).toEqual([b.id])
    expect(User.query().where('name', 'A').orWhere('name', 'B').toSQL().sql).toMatch(/where \(.+ or .+\) and .*deleted_at.* is null/i)
  })

  it('restore() brings a row back; forceDelete() removes it for good', async () => {
    const [a, b] = await three()
    await a.delete()
    const trashed = await User.query().withTrashed().where('id', a.id).firstOrFail()
    expect(await trashed.restore()).toBe(true)
    expect(trashed.trashed()).toBe(false)
    expect(await User.find(a.id)).not.toBeNull()
    expect(await b.forceDelete()).toBe(true)
    expect(await ctx.db.table('users').where('id', b.id)).toEqual([])
    expect(b.$isPersisted).toBe(false)
  })

  it('mass delete() on a query soft-deletes; forceDelete() and restore() on queries', async () => {
    await three()
    expect(await User.query().where('age', '>=', 20).delete()).toBe(2)
    expect(await ctx.db.table('users').count({ n: '*' }).first().then((r) => Number(r!.n))).toBe(3)
    expect(await User.query().count()).toBe(1)
    expect(await User.query().onlyTrashed().count()).toBe(2)
    expect(await User.query().where('age', 20).restore()).toBe(1)
    expect(await User.query().count()).toBe(2)
    expect(await User.query().withTrashed().where('age', 30).forceDelete()).toBe(1)
    expect(await ctx.db.table('users').count({ n: '*' }).first().then((r) => Number(r!.n))).toBe(2)
  })

  it('soft-deleted rows are left out of aggregates, pagination and subqueries', async () => {
    const [a] = await three()
    await a.delete()
    expect(await User.query().sum('age')).toBe(50)
    expect((await User.query().orderBy('id').paginate(1, 10)).meta.total).toBe(2)
    const authors = await Post.query().whereIn('authorId', User.query().select('id'))
    expect(authors).toEqual([])
    await Post.create({ authorId: a.id, title: 'by a trashed user', published: true })
    expect(await Post.query().whereIn('authorId', User.query().select('id')).count()).toBe(0)
    expect(await Post.query().whereIn('authorId', User.query().withTrashed().select('id')).count()).toBe(1)
  })

  it('models without deletedAt refuse the soft-delete API clearly', async () => {
    expect(() => Post.query().withTrashed()).toThrow(/does not soft-delete/)
    expect(() => Post.query().onlyTrashed()).toThrow(QuarryError)
    await expect(Post.query().restore()).rejects.toThrow(/does not soft-delete/)
    const post = await Post.create({ authorId: 1, title: 'x', published: false })
    await expect(post.restore()).rejects.toThrow(/nothing to restore/)
    expect(post.trashed()).toBe(false)
  })
})
