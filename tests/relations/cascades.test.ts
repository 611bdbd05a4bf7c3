import { afterEach, beforeAll, beforeEach, expect, it } from 'vitest'
import { forEachDialect } from '../support/databases.js'
import { Comment, createSchema, Image, Post, Role, truncateAll, User } from './models.js'

forEachDialect('relations: onDelete cascades (delete, soft delete, restore) through the ORM', (ctx) => {
  beforeAll(async () => {
    await createSchema(ctx.db)
  })
  const offs: Array<() => void> = []
  beforeEach(async () => {
    await truncateAll(ctx.db)
  })
  afterEach(() => {
    while (offs.length) offs.pop()!()
  })

  const count = async (table: string, where: (b: ReturnType<typeof ctx.db.table>) => unknown = () => undefined) => {
    const builder = ctx.db.table(table)
    where(builder)
    const [row] = await builder.count({ n: '*' })
    return Number(row!.n)
  }
  const trashed = (table: string) => count(table, (b) => b.whereNotNull('deleted_at'))

  /** Ada: posts P1 (2 comments), P2 (1 comment); a profile, an avatar, a role. Bob: one post with a comment. */
  async function seed() {
    const ada = await User.create({ name: 'Ada' })
    const bob = await User.create({ name: 'Bob' })
    const p1 = await ada.related('posts').create({ title: 'P1', published: true })
    const p2 = await ada.related('posts').create({ title: 'P2', published: true })
    const p3 = await bob.related('posts').create({ title: 'P3', published: true })
    await p1.related('comments').createMany([{ body: 'a' }, { body: 'b' }])
    await p2.related('comments').create({ body: 'c' })
    await p3.related('comments').create({ body: 'd' })
    await ctx.db.table('profiles').insert({ user_id: ada.id, bio: 'x' })
    await ada.related('avatar').create({ url: 'ada.png' })
    const role = await Role.create({ name: 'admin' })
    await ada.related('roles').attach([role.id])
    return { ada: (await User.find(ada.id))!, bob, p1, p2, p3, role }
  }

  it('soft-deleting a parent soft-deletes its children and theirs, with one timestamp, firing their events', async () => {
    const { ada } = await seed()
    const fired: string[] = []
    offs.push(Post.on('deleted', (p) => void fired.push(`post ${p.title}`)))
    offs.push(Comment.on('deleted', (c) => void fired.push(`comment ${c.body}`)))
    expect(await ada.delete()).toBe(true)
    expect(fired.sort()).toEqual(['comment a', 'comment b', 'comment c', 'post P1', 'post P2'])
    expect(await trashed('posts')).toBe(2)
    expect(await trashed('comments')).toBe(3)
    const stamps = new Set(
      [...(await ctx.db.table('posts').whereNotNull('deleted_at').select('deleted_at')), ...(await ctx.db.table('comments').whereNotNull('deleted_at').select('deleted_at'))].map((r) =>
        new Date(r.deleted_at as string).getTime(),
      ),
    )
    expect(stamps.size).toBe(1)
    expect([...stamps][0]).toBe(ada.deletedAt!.getTime())
    // Children that cannot be soft-deleted, and pivot rows, stay while the parent is only soft-deleted.
    expect(await count('profiles')).toBe(1)
    expect(await count('images')).toBe(1)
    expect(await count('role_user')).toBe(1)
    // Bob's things are untouched.
    expect(await count('posts', (b) => b.whereNull('deleted_at'))).toBe(1)
  })

  it('restoring the parent restores exactly the children its cascade removed', async () => {
    const { ada, p2 } = await seed()
    const loner = (await Comment.query().where('body', 'a').first())!
    await loner.delete() // on its own, earlier: stays deleted
    await new Promise((r) => setTimeout(r, 5))
    await (await Post.find(p2.id))!.delete() // P2 and its comment, on their own
    await new Promise((r) => setTimeout(r, 5))
    await ada.delete()
    const restoredEvents: string[] = []
    offs.push(Comment.on('restored', (c) => void restoredEvents.push(c.body)))
    const again = (await User.query().withTrashed().where('id', ada.id).first())!
    expect(await again.restore()).toBe(true)
    expect(again.trashed()).toBe(false)
    const live = await Post.query().where('authorId', ada.id).orderBy('title')
    expect(live.map((p) => p.title)).toEqual(['P1'])
    expect((await Comment.query().orderBy('body')).map((c) => c.body)).toEqual(['b', 'd'])
    expect(restoredEvents).toEqual(['b'])
    expect(await trashed('posts')).toBe(1)
    expect(await trashed('comments')).toBe(2)
  })

  it('removing a parent for good removes its children for good (trashed ones too), detaches pivots, keeps related rows', async () => {
    const { ada, p2 } = await seed()
    await (await Post.find(p2.id))!.delete()
    expect(await ada.forceDelete()).toBe(true)
    expect(await count('users')).toBe(1)
    expect(await count('posts')).toBe(1)
    expect(await count('comments')).toBe(1)
    expect(await count('profiles')).toBe(0)
    expect(await count('images')).toBe(0)
    expect(await count('role_user')).toBe(0)
    expect(await count('roles')).toBe(1)
  })

  it('a cascade that fails halfway leaves everything as it was', async () => {
    const { ada } = await seed()
    offs.push(
      Comment.on('deleting', (c) => {
        if (c.body === 'c') throw new Error('boom on c')
      }),
    )
    const before = { ...ada.$attributes }
    await expect(ada.delete()).rejects.toThrow('boom on c')
    expect(await trashed('posts')).toBe(0)
    expect(await trashed('comments')).toBe(0)
    expect(await trashed('users')).toBe(0)
    expect(ada.trashed()).toBe(false)
    expect(ada.$attributes).toEqual(before)
    await expect(ada.forceDelete()).rejects.toThrow('boom on c')
    expect([await count('users'), await count('posts'), await count('comments'), await count('profiles'), await count('role_user')]).toEqual([2, 3, 4, 1, 1])
    expect(ada.$isPersisted).toBe(true)
  })

  it('a restore that fails halfway restores nothing', async () => {
    const { ada } = await seed()
    await ada.delete()
    offs.push(
      Post.on('restoring', (p) => {
        if (p.title === 'P2') throw new Error('no P2')
      }),
    )
    await expect(ada.restore()).rejects.toThrow('no P2')
    expect(await trashed('posts')).toBe(2)
    expect(await trashed('comments')).toBe(3)
    expect(await trashed('users')).toBe(1)
    expect(ada.trashed()).toBe(true)
  })

  it('a child event handler that cancels its delete cancels the whole delete: false, nothing written', async () => {
    const { ada } = await seed()
    offs.push(Comment.on('deleting', (c) => (c.body === 'b' ? false : undefined)))
    expect(await ada.delete()).toBe(false)
    expect(await trashed('posts')).toBe(0)
    expect(await trashed('comments')).toBe(0)
    expect(ada.trashed()).toBe(false)
  })

  it('inside an outer transaction the cascade is a savepoint: rolling the outer back undoes it', async () => {
    const { ada } = await seed()
    await expect(
      ctx.db.transaction(async () => {
        await ada.delete()
        expect(await trashed('posts')).toBe(2)
        throw new Error('undo')
      }),
    ).rejects.toThrow('undo')
    expect(await trashed('posts')).toBe(0)
    expect(await trashed('users')).toBe(0)
  })

  it('mass deletes through a query do not cascade (no models, no events), as in Eloquent', async () => {
    await seed()
    await User.query().where('name', 'Ada').delete()
    expect(await trashed('users')).toBe(1)
    expect(await trashed('posts')).toBe(0)
    expect(await Image.query().count()).toBe(1)
  })
})
