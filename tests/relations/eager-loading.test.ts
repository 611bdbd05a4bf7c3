import { beforeAll, beforeEach, expect, it } from 'vitest'
import { connect, Model, type QueryEvent, RelationNotFoundError, RelationNotLoadedError, uuidv7 } from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'
import { Comment, createSchema, Post, Profile, recording, truncateAll, User } from './models.js'

forEachDialect('relations: eager and lazy loading (hasOne, hasMany, belongsTo)', (ctx) => {
  beforeAll(async () => {
    await createSchema(ctx.db)
  })
  beforeEach(async () => {
    await truncateAll(ctx.db)
  })

  /** Ada (2 posts, a profile), Bob (1 post, mentored by Ada), Cy (nothing). */
  async function seed() {
    const ada = await User.create({ name: 'Ada' })
    const bob = await User.create({ name: 'Bob', mentorId: ada.id })
    const cy = await User.create({ name: 'Cy' })
    const p1 = await Post.create({ authorId: ada.id, title: 'Engines', published: true, views: 10 })
    const p2 = await Post.create({ authorId: ada.id, title: 'Notes', published: false, views: 5 })
    const p3 = await Post.create({ authorId: bob.id, title: 'Tables', published: true, views: 7 })
    await ctx.db.table('profiles').insert({ user_id: ada.id, bio: 'mathematician' })
    return { ada, bob, cy, p1, p2, p3 }
  }

  const byName = (users: User[]) => Object.fromEntries(users.map((u) => [u.name, u]))

  it('hasMany: every parent gets its children (an empty array when none), in one extra query', async () => {
    const { ada, bob } = await seed()
    const { result: users, queries } = await recording(ctx.db, () => User.query().orderBy('id').with('posts'))
    expect(queries).toHaveLength(2)
    expect(queries[1]!.sql).toMatch(/posts.+author_id.+in/i)
    const named = byName(users)
    expect(named.Ada!.posts.map((p) => p.title).sort()).toEqual(['Engines', 'Notes'])
    expect(named.Bob!.posts.map((p) => p.title)).toEqual(['Tables'])
    expect(named.Cy!.posts).toEqual([])
    expect(named.Ada!.posts.every((p) => p instanceof Post && p.authorId === ada.id)).toBe(true)
    expect(named.Bob!.posts[0]!.authorId).toBe(bob.id)
  })

  it('belongsTo: each child gets its owner, keys de-duplicated; a null key gives null', async () => {
    const { ada } = await seed()
    const { result: posts, queries } = await recording(ctx.db, () => Post.query().orderBy('title').with('author'))
    expect(queries).toHaveLength(2)
    expect(queries[1]!.bindings).toHaveLength(2) // three posts, two distinct authors
    expect(posts.map((p) => p.author?.name)).toEqual(['Ada', 'Ada', 'Bob'])
    expect(posts[0]!.author).toBeInstanceOf(User)
    const users = await User.query().orderBy('id').with('mentor')
    expect(users.map((u) => u.mentor?.id ?? null)).toEqual([null, ada.id, null])
  })

  it('hasOne: the child or null', async () => {
    await seed()
    const users = await User.query().orderBy('id').with('profile')
    expect(users.map((u) => u.profile?.bio ?? null)).toEqual(['mathematician', null, null])
    expect(users[0]!.profile).toBeInstanceOf(Profile)
  })

  it('self relations: belongsTo and hasMany on the same table', async () => {
    await seed()
    const [ada] = await User.query().where('name', 'Ada').with('mentees', 'mentor')
    expect(ada!.mentees.map((u) => u.name)).toEqual(['Bob'])
    expect(ada!.mentor).toBeNull()
  })

  it('dotted paths nest, one query per level: posts.author.profile', async () => {
    await seed()
    const { result: users, queries } = await recording(ctx.db, () => User.query().orderBy('id').with('posts.author.profile'))
    expect(queries).toHaveLength(4)
    const ada = users[0]!
    expect(ada.posts.map((p) => p.author!.name)).toEqual(['Ada', 'Ada'])
    expect(ada.posts[0]!.author!.profile!.bio).toBe('mathematician')
    expect(users[1]!.posts[0]!.author!.profile).toBeNull()
  })

  it('a constraint applies to the last relation of its path; several relations at once', async () => {
    await seed()
    const users = await User.query().orderBy('id').with('posts', (q) => q.where('published', true).orderBy('title', 'desc'))
    expect(users[0]!.posts.map((p) => p.title)).toEqual(['Engines'])
    const listed = await User.query().orderBy('id').with('posts', 'profile')
    expect(listed[0]!.posts).toHaveLength(2)
    expect(listed[0]!.profile!.bio).toBe('mathematician')
    const asArray = await User.query().orderBy('id').with(['posts', 'mentor'])
    expect(asArray[1]!.mentor!.name).toBe('Ada')
    // A path and a constraint on an intermediate level merge into one load of that level.
    const { result: merged, queries } = await recording(ctx.db, () =>
      User.query().orderBy('id').with('posts', (q) => q.where('views', '>', 6)).with('posts.author'),
    )
    expect(queries).toHaveLength(3)
    expect(merged[0]!.posts.map((p) => p.title)).toEqual(['Engines'])
    expect(merged[0]!.posts[0]!.author!.name).toBe('Ada')
  })

  it('soft-deleted related rows are left out, unless the constraint asks for them', async () => {
    const { p2 } = await seed()
    await p2.delete()
    const [ada] = await User.query().where('name', 'Ada').with('posts')
    expect(ada!.posts.map((p) => p.title)).toEqual(['Engines'])
    const [withTrashed] = await User.query().where('name', 'Ada').with('posts', (q) => q.withTrashed())
    expect(withTrashed!.posts).toHaveLength(2)
  })

  it('first(), paginate() and chunk() load relations too; toJSON() nests them', async () => {
    await seed()
    const first = await User.query().orderBy('id').with('posts', 'profile').first()
    expect(first!.posts).toHaveLength(2)
    const page = await User.query().orderBy('id').with('posts').paginate(1, 2)
    expect(page.data.map((u) => u.posts.length)).toEqual([2, 1])
    const sizes: number[] = []
    await User.query().with('posts').chunk(2, (users) => {
      for (const user of users) sizes.push(user.posts.length)
    })
    expect(sizes.sort()).toEqual([0, 1, 2])
    const json = first!.toJSON()
    expect(json.profile).toMatchObject({ bio: 'mathematician' })
    expect((json.posts as Array<Record<string, unknown>>).map((p) => p.title).sort()).toEqual(['Engines', 'Notes'])
  })

  it('load() on one model, with a constraint; loading again replaces the value', async () => {
    const { ada } = await seed()
    const user = (await User.find(ada.id))!
    expect(() => user.posts).toThrow(RelationNotLoadedError)
    const { queries } = await recording(ctx.db, () => user.load('posts', 'profile'))
    expect(queries).toHaveLength(2)
    expect(user.posts).toHaveLength(2)
    await user.load('posts', (q) => q.where('published', false))
    expect(user.posts.map((p) => p.title)).toEqual(['Notes'])
    expect(await user.load('mentor')).toBe(user)
  })

  it('Model.loadMissing: one query per relation for the whole array, skipping what is loaded', async () => {
    await seed()
    const users = await User.query().orderBy('id')
    await users[0]!.load('posts')
    users[0]!.posts = [] // what is loaded stays as it is
    const { queries } = await recording(ctx.db, () => Model.loadMissing(users, 'posts.author'))
    expect(queries).toHaveLength(2) // posts of Bob and Cy; their authors
    expect(queries[0]!.bindings).toHaveLength(2)
    expect(users[0]!.posts).toEqual([])
    expect(users[1]!.posts[0]!.author!.name).toBe('Bob')
    // Everything loaded: nothing to query.
    const { queries: none } = await recording(ctx.db, () => User.loadMissing(users, 'posts'))
    expect(none).toHaveLength(0)
    expect(await Model.loadMissing([], 'posts' as never)).toEqual([])
  })

  it('with(\'posts.comments\') over 500 users × 10 posts × 3 comments is exactly 3 queries', async () => {
    await User.insert(Array.from({ length: 500 }, (_, i) => ({ name: `user ${i}` })))
    const userIds = (await ctx.db.table('users').select('id')).map((r) => Number(r.id))
    const posts = userIds.flatMap((authorId) => Array.from({ length: 10 }, (_, j) => ({ id: uuidv7(), authorId, title: `post ${j}`, published: true })))
    await Post.insert(posts)
    await Comment.insert(posts.flatMap((post) => Array.from({ length: 3 }, (_, k) => ({ commentableType: 'post', commentableId: post.id, body: `c${k}` }))))
    const { result: users, queries } = await recording(ctx.db, () => User.query().with('posts.comments'))
    expect(queries).toHaveLength(3)
    expect(users).toHaveLength(500)
    expect(users.every((u) => u.posts.length === 10 && u.posts.every((p) => p.comments.length === 3 && p.authorId === u.id))).toBe(true)
    expect(new Set(users.flatMap((u) => u.posts.flatMap((p) => p.comments.map((c) => c.id)))).size).toBe(15_000)
    // loadMissing on models already in hand: one query per relation for the whole array.
    const again = await User.query()
    const { queries: missing } = await recording(ctx.db, () => Model.loadMissing(again, 'posts.comments'))
    expect(missing).toHaveLength(2)
  })

  it('eager loads read where their query reads: replicas, or the primary after onWriter()', async () => {
    await seed()
    const node = ctx.target.dialect === 'sqlite' ? { filename: ctx.target.url.slice('sqlite:'.length) } : { url: ctx.target.url }
    const replicated = await connect({ connections: { default: { write: node, read: [node] } } })
    const events: QueryEvent[] = []
    replicated.on('query', (e) => void events.push(e))
    try {
      User.useConnection(replicated.connection())
      Post.useConnection(replicated.connection())
      await User.query().with('posts')
      expect(events.map((e) => e.role)).toEqual(['read', 'read'])
      events.length = 0
      const users = await User.query().onWriter().orderBy('id').with('posts.author')
      expect(events.map((e) => e.role)).toEqual(['write', 'write', 'write'])
      expect(users[0]!.posts[0]!.author!.name).toBe('Ada')
    } finally {
      // Back to the default database's default connection, resolved on each use.
      User.useConnection('default')
      Post.useConnection('default')
      await replicated.close()
    }
  })

  it('parent keys are chunked to the driver parameter limit', async () => {
    for (let i = 0; i < 12; i++) {
      const user = await User.create({ name: `u${i}` })
      await Post.create({ authorId: user.id, title: `t${i}`, published: true, views: i })
    }
    const dialect = ctx.db.connection().dialect as { maxBindings: number }
    const original = dialect.maxBindings
    Object.defineProperty(dialect, 'maxBindings', { value: 1005, configurable: true, writable: true })
    try {
      const { result: users, queries } = await recording(ctx.db, () => User.query().orderBy('id').with('posts'))
      expect(queries).toHaveLength(1 + 3) // 12 keys, 5 a query
      expect(users.every((u, i) => u.posts.length === 1 && u.posts[0]!.title === `t${i}`)).toBe(true)
    } finally {
      Object.defineProperty(dialect, 'maxBindings', { value: original, configurable: true, writable: true })
    }
  })

  it('reading a relation that was not loaded throws RelationNotLoadedError naming the fix; no query runs', async () => {
    await seed()
    const { result: user, queries } = await recording(ctx.db, async () => {
      const found = (await User.query().orderBy('id').first())!
      expect(() => found.posts).toThrow(RelationNotLoadedError)
      expect(() => found.posts).toThrow(/\.with\('posts'\).*load\('posts'\)/)
      return found
    })
    expect(queries).toHaveLength(1)
    expect(user.$relations).toEqual({})
  })

  it('an unknown relation name is a RelationNotFoundError listing the relations, before any SQL', async () => {
    const { queries } = await recording(ctx.db, async () => {
      expect(() => User.query().with('postz' as never)).toThrow(RelationNotFoundError)
      expect(() => User.query().with('posts.autor' as never)).toThrow(/Post has no relation "autor"; its relations are: author/)
      expect(() => User.query().with('postz' as never)).toThrow(/its relations are: posts, profile, mentor, mentees, country/)
      await expect(new User().load('nope' as never)).rejects.toBeInstanceOf(RelationNotFoundError)
      expect(() => new User().related('nope' as never)).toThrow(RelationNotFoundError)
    })
    expect(queries).toHaveLength(0)
    expect(() => User.query().with('posts..author' as never)).toThrow(/not a valid relation path/)
  })

  it('a constraint that leaves out the foreign key is a clear error', async () => {
    await seed()
    await expect(User.query().with('posts', (q) => q.select('title'))).rejects.toThrow(/User.posts: the related rows were selected without author_id; select it/)
    await expect(Post.query().with('author', (q) => q.select('name'))).rejects.toThrow(/Post.author: the related rows were selected without id/)
    await expect(User.query().select('name').with('posts')).rejects.toThrow(/User.posts: the User rows were selected without id; select it to load posts/)
    await expect(Post.query().select('title').with('author')).rejects.toThrow(/selected without author_id/)
    const [ada] = await User.query().where('name', 'Ada').with('posts', (q) => q.select('title', 'authorId'))
    expect(ada!.posts.map((p) => p.title).sort()).toEqual(['Engines', 'Notes'])
  })

})
