import { beforeAll, beforeEach, expect, it } from 'vitest'
import { MassAssignmentError, NotNullViolationError, QuarryError } from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'
import { createSchema, Image, Post, Profile, recording, truncateAll, User } from './models.js'

forEachDialect('relations: writing through relations (hasMany, hasOne, belongsTo) and touches', (ctx) => {
  beforeAll(async () => {
    await createSchema(ctx.db)
  })
  beforeEach(async () => {
    await truncateAll(ctx.db)
  })

  const tick = () => new Promise((r) => setTimeout(r, 5))

  it('create() sets the foreign key (mass assignment rules apply to the rest); createMany() is one transaction', async () => {
    const ada = await User.create({ name: 'Ada' })
    const post = await ada.related('posts').create({ title: 'Engines', published: true })
    expect(post).toBeInstanceOf(Post)
    expect(post.authorId).toBe(ada.id)
    expect(post.$isPersisted).toBe(true)
    const [row] = await ctx.db.table('posts').where('title', 'Engines')
    expect(Number(row!.author_id)).toBe(ada.id)
    await expect(ada.related('posts').create({ title: 'x', id: 'nope' } as never)).rejects.toBeInstanceOf(MassAssignmentError)
    const many = await ada.related('posts').createMany([{ title: 'A' }, { title: 'B' }])
    expect(many.map((p) => p.authorId)).toEqual([ada.id, ada.id])
    // The second row fails (title is NOT NULL): the first is rolled back with it.
    await expect(ada.related('posts').createMany([{ title: 'C' }, { title: null as never }])).rejects.toBeInstanceOf(NotNullViolationError)
    expect((await Post.query().where('authorId', ada.id)).map((p) => p.title).sort()).toEqual(['A', 'B', 'Engines'])
  })

  it('save() and saveMany() point existing or new models at the parent', async () => {
    const ada = await User.create({ name: 'Ada' })
    const bob = await User.create({ name: 'Bob' })
    const post = await ada.related('posts').create({ title: 'Moving' })
    await bob.related('posts').save(post)
    expect(post.authorId).toBe(bob.id)
    expect((await Post.findOrFail(post.id)).authorId).toBe(bob.id)
    const fresh = new Post().fill({ title: 'New' })
    const saved = await bob.related('posts').saveMany([fresh])
    expect(saved[0]!.authorId).toBe(bob.id)
    expect(await bob.related('posts').query().count()).toBe(2)
    await expect(bob.related('posts').save(new User() as never)).rejects.toThrow(/save\(\) expects a Post, got User/)
    await expect(new User().related('posts').create({ title: 'orphan' })).rejects.toThrow(/User.posts: this User has no id yet; save it/)
  })

  it('hasOne: create() through the relation', async () => {
    const ada = await User.create({ name: 'Ada' })
    const profile = await ada.related('profile').create({ bio: 'mathematician' })
    expect(profile).toBeInstanceOf(Profile)
    expect(profile.userId).toBe(ada.id)
    await ada.load('profile')
    expect(ada.profile!.bio).toBe('mathematician')
  })

  it('belongsTo: associate() points the child at the owner and saves; dissociate() clears it', async () => {
    const ada = await User.create({ name: 'Ada' })
    const bob = await User.create({ name: 'Bob' })
    await bob.related('mentor').associate(ada)
    expect(bob.mentorId).toBe(ada.id)
    expect(bob.mentor).toBe(ada)
    expect((await User.findOrFail(bob.id)).mentorId).toBe(ada.id)
    await bob.related('mentor').dissociate()
    expect(bob.mentor).toBeNull()
    expect((await User.findOrFail(bob.id)).mentorId).toBeNull()
    await expect(bob.related('mentor').associate(new Post() as never)).rejects.toThrow(/associate\(\) expects a User, got Post/)
    await expect(bob.related('mentor').associate(new User())).rejects.toThrow(/has no id yet/)
    expect((await User.findOrFail(bob.id)).mentorId).toBeNull()
  })

  it('related().query() is narrowed to the parent, whatever the caller adds', async () => {
    const ada = await User.create({ name: 'Ada' })
    const bob = await User.create({ name: 'Bob' })
    await ada.related('posts').createMany([{ title: 'A', published: true }, { title: 'B' }])
    await bob.related('posts').create({ title: 'C', published: true })
    const either = await ada.related('posts').query().where('title', 'C').orWhere('published', true)
    expect(either.map((p) => p.title)).toEqual(['A'])
    expect(await ada.related('posts').query().where('published', false).update({ views: 3 })).toBe(1)
    expect((await bob.related('posts').query().first())!.views).toBe(0)
    const [mentor] = await bob.related('mentor').query()
    expect(mentor).toBeUndefined()
  })

  it('touches: saving a child bumps its owner\'s updatedAt through the ORM (the loaded owner too)', async () => {
    const ada = await User.create({ name: 'Ada' })
    const original = ada.updatedAt.getTime()
    await tick()
    const post = await ada.related('posts').create({ title: 'Engines' })
    const afterCreate = (await User.findOrFail(ada.id)).updatedAt.getTime()
    expect(afterCreate).toBeGreaterThan(original)
    await post.load('author')
    await tick()
    post.title = 'Engines, revised'
    await post.save()
    expect(post.author!.updatedAt.getTime()).toBeGreaterThan(afterCreate)
    expect((await User.findOrFail(ada.id)).updatedAt.getTime()).toBe(post.author!.updatedAt.getTime())
    // Nothing written, nothing touched.
    const { queries } = await recording(ctx.db, () => post.save())
    expect(queries).toHaveLength(0)
  })

  it('touches on a morphTo: saving an image bumps its owner', async () => {
    const ada = await User.create({ name: 'Ada' })
    const before = ada.updatedAt.getTime()
    await tick()
    const image = await ada.related('avatar').create({ url: 'a.png' })
    expect((await User.findOrFail(ada.id)).updatedAt.getTime()).toBeGreaterThan(before)
    const orphan = new Image().fill({ url: 'b.png' })
    await orphan.save() // no owner: nothing to touch
    expect(image.imageableId).toBe(ada.id)
  })

  it('a touch that fails rolls the child\'s save back', async () => {
    const ada = await User.create({ name: 'Ada' })
    const off = User.on('updating', () => {
      throw new Error('owner refuses')
    })
    try {
      await expect(ada.related('posts').create({ title: 'Doomed' })).rejects.toThrow('owner refuses')
    } finally {
      off()
    }
    expect(await Post.query().count()).toBe(0)
  })

  it('writes the relation type does not have throw, naming the relation', async () => {
    const ada = await User.create({ name: 'Ada' })
    const client = ada.related('mentor') as unknown as { create(a: object): Promise<unknown>; sync(ids: unknown): Promise<unknown> }
    await expect(client.create({})).rejects.toThrow(/User.mentor is a belongsTo relation; create\(\) is for hasOne, hasMany/)
    await expect(client.sync([1])).rejects.toBeInstanceOf(QuarryError)
  })
})
