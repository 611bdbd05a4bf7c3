import { beforeAll, beforeEach, expect, it } from 'vitest'
import { column, hasMany, type HasMany, Model, type ModelQuery, QuarryError, table } from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'
import { Car, CarOwner, Comment, Country, createSchema, Mechanic, Post, recording, Role, Tag, truncateAll, User, Video } from './models.js'

/** The users and posts tables again, the posts with a global scope: only published ones. */
@table('posts')
class PublishedPost extends Model {
  @column.primary({ type: 'uuid' }) declare id: string
  @column() declare authorId: number
  @column() declare title: string
  @column.boolean() declare published: boolean
  @column() declare views: number
  @column.deletedAt() declare deletedAt: Date | null

  static globalScopes = {
    published: (q: ModelQuery<PublishedPost>) => q.where('published', true),
  }
}

@table('users')
class Writer extends Model {
  @column.primary() declare id: number
  @column() declare name: string
  @hasMany(() => PublishedPost, { foreignKey: 'authorId' }) declare posts: HasMany<PublishedPost>
}

/**
 * An eager constraint's limit and offset apply to each parent (API §8): every relation kind, eager,
 * lazy and loadMissing, one query per relation, soft deletes still applied, and the rank used to
 * do it never reaches a model.
 */
forEachDialect('relations: eager limit and offset per parent', (ctx) => {
  beforeAll(async () => {
    await createSchema(ctx.db)
  })
  beforeEach(async () => {
    await truncateAll(ctx.db)
  })

  /** Ada: posts with 30, 20, 10 views; Bob: 25, 5; Cy: none. */
  async function seedPosts() {
    const ada = await User.create({ name: 'Ada' })
    const bob = await User.create({ name: 'Bob' })
    const cy = await User.create({ name: 'Cy' })
    const posts: Record<string, Post> = {}
    for (const [author, title, views] of [[ada, 'a10', 10], [ada, 'a30', 30], [bob, 'b5', 5], [ada, 'a20', 20], [bob, 'b25', 25]] as const) {
      posts[title] = await Post.create({ authorId: author.id, title, views, published: true })
    }
    return { ada, bob, cy, posts }
  }

  const titles = (users: User[]) => users.map((u) => u.posts.map((p) => p.title))

  /** The rank column appears nowhere a user looks. */
  function clean(model: Model): void {
    expect(Object.keys(model.$attributes)).not.toContain('quarry_row')
    expect(Object.keys(model.$extras)).not.toContain('quarry_row')
    expect(Object.keys(model.toJSON())).not.toContain('quarry_row')
    expect(model.isDirty()).toBe(false)
  }

  it('hasMany: limit(1) gives each parent its newest child, in one query for all parents', async () => {
    await seedPosts()
    const { result: users, queries } = await recording(ctx.db, () =>
      User.query().orderBy('id').with('posts', (q) => q.orderBy('views', 'desc').limit(1)),
    )
    expect(queries).toHaveLength(2)
    expect(queries[1]!.sql.toLowerCase()).toContain('row_number() over')
    expect(titles(users)).toEqual([['a30'], ['b25'], []])
    for (const user of users) for (const post of user.posts) clean(post)
    expect(users[0]!.posts[0]).toBeInstanceOf(Post)
  })

  it('a retrieved listener that writes an attribute: the rank is off $attributes and $original alike', async () => {
    await seedPosts()
    const off = Post.on('retrieved', (post) => {
      post.title = post.title.toUpperCase()
    })
    try {
      const users = await User.query().orderBy('id').with('posts', (q) => q.orderBy('views', 'desc').limit(1))
      expect(titles(users)).toEqual([['A30'], ['B25'], []])
      const post = users[0]!.posts[0]!
      expect(Object.keys(post.$attributes)).not.toContain('quarry_row')
      expect(Object.keys(post.$original)).not.toContain('quarry_row')
      expect(post.getDirty()).toEqual({ title: 'A30' })
    } finally {
      off()
    }
  })

  it('hasMany: limit and offset page within each parent, in the constraint\'s order', async () => {
    await seedPosts()
    const two = await User.query().orderBy('id').with('posts', (q) => q.orderBy('views', 'desc').limit(2))
    expect(titles(two)).toEqual([['a30', 'a20'], ['b25', 'b5'], []])
    const paged = await User.query().orderBy('id').with('posts', (q) => q.orderBy('views', 'desc').limit(2).offset(1))
    expect(titles(paged)).toEqual([['a20', 'a10'], ['b5'], []])
    const offsetOnly = await User.query().orderBy('id').with('posts', (q) => q.orderBy('views').offset(1))
    expect(titles(offsetOnly)).toEqual([['a20', 'a30'], ['b25'], []])
    const past = await User.query().orderBy('id').with('posts', (q) => q.orderBy('views').offset(5).limit(3))
    expect(titles(past)).toEqual([[], [], []])
    const raw = await User.query().orderBy('id').with('posts', (q) => q.orderByRaw('views * ? desc', [-1]).limit(1))
    expect(titles(raw)).toEqual([['a10'], ['b5'], []])
  })

  it('without an ordering the primary key decides which rows a limit keeps, the same every time', async () => {
    const { posts } = await seedPosts()
    const expected = [
      [posts.a10!, posts.a30!, posts.a20!].map((p) => p.id).sort()[0],
      [posts.b5!, posts.b25!].map((p) => p.id).sort()[0],
    ]
    const users = await User.query().orderBy('id').with('posts', (q) => q.limit(1))
    expect(users.slice(0, 2).map((u) => u.posts.map((p) => p.id))).toEqual(expected.map((id) => [id]))
  })

  it('the constraint\'s conditions and soft deletes apply before the limit', async () => {
    const { posts } = await seedPosts()
    await posts.a30!.delete()
    await Post.query().where('title', 'b25').update({ published: false })
    const users = await User.query().orderBy('id').with('posts', (q) => q.where('published', true).orderBy('views', 'desc').limit(1))
    expect(titles(users)).toEqual([['a20'], ['b5'], []])
    const trashed = await User.query().orderBy('id').with('posts', (q) => q.withTrashed().orderBy('views', 'desc').limit(1))
    expect(titles(trashed)).toEqual([['a30'], ['b25'], []])
  })

  it('global scopes apply before the limit, and can be left out by the constraint', async () => {
    await seedPosts()
    await Post.query().whereIn('title', ['a30', 'b5']).update({ published: false })
    const writers = await Writer.query().orderBy('id').with('posts', (q) => q.orderBy('views', 'desc').limit(1))
    expect(writers.map((w) => w.posts.map((p) => p.title))).toEqual([['a20'], ['b25'], []])
    const lowest = await Writer.query().orderBy('id').with('posts', (q) => q.orderBy('views').limit(1))
    expect(lowest.map((w) => w.posts.map((p) => p.title))).toEqual([['a10'], ['b25'], []])
    const all = await Writer.query().orderBy('id').with('posts', (q) => q.withoutGlobalScope('published').orderBy('views').limit(1))
    expect(all.map((w) => w.posts.map((p) => p.title))).toEqual([['a10'], ['b5'], []])
  })

  it('lazy: load() and loadMissing() apply the limit to each model', async () => {
    const { ada, bob, cy } = await seedPosts()
    await ada.load('posts', (q) => q.orderBy('views', 'desc').limit(2))
    expect(ada.posts.map((p) => p.title)).toEqual(['a30', 'a20'])
    clean(ada.posts[0]!)
    const users = [ada, bob, cy]
    const { queries } = await recording(ctx.db, () => Model.loadMissing(users, 'posts', (q) => q.orderBy('views').limit(1)))
    expect(queries).toHaveLength(1) // Ada has hers already
    expect(titles(users)).toEqual([['a30', 'a20'], ['b5'], []])
    const fresh = await User.query().orderBy('id')
    await Model.loadMissing(fresh, 'posts', (q) => q.orderBy('views', 'desc').offset(1).limit(1))
    expect(titles(fresh)).toEqual([['a20'], ['b5'], []])
  })

  it('a constraint that selects columns, or counts a relation, keeps them beside the limit', async () => {
    const { posts } = await seedPosts()
    await posts.a30!.related('comments').create({ body: 'x', votes: 1 })
    const selected = await User.query().orderBy('id').with('posts', (q) => q.select('id', 'title', 'authorId').orderBy('views', 'desc').limit(1))
    expect(titles(selected)).toEqual([['a30'], ['b25'], []])
    expect(Object.keys(selected[0]!.posts[0]!.$attributes).sort()).toEqual(['author_id', 'id', 'title'])
    const counted = await User.query().orderBy('id').with('posts', (q) => q.withCount('comments').orderBy('views', 'desc').limit(1))
    expect(titles(counted)).toEqual([['a30'], ['b25'], []])
    expect(counted.map((u) => u.posts.map((p) => p.$extras.commentsCount))).toEqual([[1], [0], []])
    for (const user of counted) for (const post of user.posts) {
      expect(Object.keys(post.$extras)).toEqual(['commentsCount'])
      expect(post.toJSON()).not.toHaveProperty('quarry_row')
    }
  })

  it('nested: the limit applies to each parent at its level', async () => {
    const { posts } = await seedPosts()
    for (const [post, votes] of [[posts.a30!, 1], [posts.a30!, 9], [posts.a20!, 4], [posts.b25!, 2], [posts.b25!, 3]] as const) {
      await post.related('comments').create({ body: `${post.title}:${votes}`, votes })
    }
    const users = await User.query().orderBy('id').with('posts', (q) => q.orderBy('views', 'desc').limit(2)).with('posts.comments', (q) => q.orderBy('votes', 'desc').limit(1))
    expect(users.map((u) => u.posts.map((p) => p.comments.map((c) => c.body)))).toEqual([[['a30:9'], ['a20:4']], [['b25:3'], []], []])
  })

  it('belongsToMany: each parent gets its first roles, $pivot intact', async () => {
    const ada = await User.create({ name: 'Ada' })
    const bob = await User.create({ name: 'Bob' })
    const roles: Role[] = []
    for (const name of ['admin', 'editor', 'viewer', 'auditor']) roles.push(await Role.create({ name }))
    const [admin, editor, viewer, auditor] = roles as [Role, Role, Role, Role]
    await ada.related('roles').attach([admin.id, editor.id, viewer.id], { grantedBy: 1 })
    await bob.related('roles').attach([viewer.id, auditor.id], { grantedBy: 2 })
    const { result: users, queries } = await recording(ctx.db, () => User.query().orderBy('id').with('roles', (q) => q.orderBy('name').limit(2)))
    expect(queries).toHaveLength(2)
    expect(users.map((u) => u.roles.map((r) => r.name))).toEqual([['admin', 'editor'], ['auditor', 'viewer']])
    const first = users[0]!.roles[0]!
    expect(first.$pivot).toMatchObject({ userId: ada.id, roleId: admin.id, grantedBy: 1 })
    expect(first.$extras).toEqual({})
    for (const user of users) for (const role of user.roles) clean(role)
    // The bare `id` is the role's, though the pivot is joined.
    const byId = await User.query().orderBy('id').with('roles', (q) => q.orderBy('id', 'desc').offset(1).limit(1))
    expect(byId.map((u) => u.roles.map((r) => r.name))).toEqual([['editor'], ['viewer']])
    const inverse = await Role.query().orderBy('id').with('users', (q) => q.orderBy('name', 'desc').limit(1))
    expect(inverse.map((r) => r.users.map((u) => u.name))).toEqual([['Ada'], ['Ada'], ['Bob'], ['Bob']])
  })

  it('hasManyThrough: each country gets its most viewed posts; soft-deleted users lead nowhere', async () => {
    await ctx.db.table('countries').insert([{ name: 'UK' }, { name: 'FR' }])
    const [uk, fr] = await Country.query().orderBy('id')
    const ada = await User.create({ name: 'Ada', countryId: uk!.id })
    const bob = await User.create({ name: 'Bob', countryId: uk!.id })
    const cy = await User.create({ name: 'Cy', countryId: fr!.id })
    for (const [author, title, views] of [[ada, 'a1', 1], [ada, 'a9', 9], [bob, 'b5', 5], [bob, 'b7', 7], [cy, 'c3', 3], [cy, 'c4', 4]] as const) {
      await Post.create({ authorId: author.id, title, views })
    }
    const { result: countries, queries } = await recording(ctx.db, () => Country.query().orderBy('id').with('posts', (q) => q.orderBy('views', 'desc').limit(2)))
    expect(queries).toHaveLength(2)
    expect(countries.map((c) => c.posts.map((p) => p.title))).toEqual([['a9', 'b7'], ['c4', 'c3']])
    for (const country of countries) for (const post of country.posts) clean(post)
    await ada.delete()
    const after = await Country.query().orderBy('id').with('posts', (q) => q.orderBy('views', 'desc').limit(1))
    expect(after.map((c) => c.posts.map((p) => p.title))).toEqual([['b7'], ['c4']])
  })

  it('morphMany, morphToMany and morphedByMany: per parent too', async () => {
    const ada = await User.create({ name: 'Ada' })
    const p1 = await Post.create({ authorId: ada.id, title: 'p1' })
    const p2 = await Post.create({ authorId: ada.id, title: 'p2' })
    const v1 = await Video.create({ title: 'v1' })
    for (const [parent, votes] of [[p1, 3], [p1, 8], [p1, 5], [p2, 1], [p2, 2], [v1, 7]] as const) {
      await parent.related('comments').create({ body: `${parent.title}:${votes}`, votes })
    }
    const posts = await Post.query().orderBy('title').with('comments', (q) => q.orderBy('votes', 'desc').limit(2))
    expect(posts.map((p) => p.comments.map((c) => c.body))).toEqual([['p1:8', 'p1:5'], ['p2:2', 'p2:1']])
    for (const post of posts) for (const comment of post.comments) clean(comment)

    const tags = await Promise.all(['a', 'b', 'c', 'd'].map((name) => Tag.create({ name })))
    await p1.related('tags').attach(tags.map((t) => t.id))
    await p2.related('tags').attach([tags[3]!.id, tags[2]!.id])
    await v1.related('tags').attach([tags[0]!.id, tags[1]!.id])
    const tagged = await Post.query().orderBy('title').with('tags', (q) => q.orderBy('name', 'desc').limit(1))
    expect(tagged.map((p) => p.tags.map((t) => t.name))).toEqual([['d'], ['d']])
    for (const tag of tagged[0]!.tags) clean(tag)
    const videos = await Video.query().with('tags', (q) => q.orderBy('name').offset(1))
    expect(videos.map((v) => v.tags.map((t) => t.name))).toEqual([['b']])

    const byTag = await Tag.query().orderBy('name').with('posts', (q) => q.orderBy('title', 'desc').limit(1))
    expect(byTag.map((t) => t.posts.map((p) => p.title))).toEqual([['p1'], ['p1'], ['p2'], ['p2']])
    for (const post of byTag[0]!.posts) clean(post)
  })

  it('hasOne and hasOneThrough take the limit per parent too (offset(1): each parent\'s second row)', async () => {
    await ctx.db.table('mechanics').insert([{ name: 'm1' }, { name: 'm2' }, { name: 'm3' }])
    const [m1, m2] = await Mechanic.query().orderBy('id')
    await ctx.db.table('cars').insert([{ mechanic_id: m1!.id, model: 'c1' }, { mechanic_id: m2!.id, model: 'c2' }])
    const [c1, c2] = (await ctx.db.table('cars').select('id').orderBy('id')) as Array<{ id: number }>
    await ctx.db.table('car_owners').insert([
      { car_id: c1!.id, name: 'a-first' },
      { car_id: c1!.id, name: 'a-second' },
      { car_id: c2!.id, name: 'b-first' },
      { car_id: c2!.id, name: 'b-second' },
    ])
    const owner = (mechanics: Mechanic[]) => mechanics.map((m) => m.carOwner?.name ?? null)
    expect(owner(await Mechanic.query().orderBy('id').with('carOwner', (q) => q.orderBy('name', 'desc').limit(1)))).toEqual(['a-second', 'b-second', null])
    const second = await Mechanic.query().orderBy('id').with('carOwner', (q) => q.orderBy('name').offset(1))
    expect(owner(second)).toEqual(['a-second', 'b-second', null])
    expect(second[0]!.carOwner).toBeInstanceOf(CarOwner)
    clean(second[0]!.carOwner!)
    // A soft-deleted car leads nowhere, limit or not.
    await Car.query().where('model', 'c1').delete()
    expect(owner(await Mechanic.query().orderBy('id').with('carOwner', (q) => q.orderBy('name').limit(1)))).toEqual([null, 'b-first', null])

    const ada = await User.create({ name: 'Ada' })
    const bob = await User.create({ name: 'Bob' })
    await ctx.db.table('profiles').insert([
      { user_id: ada.id, bio: 'a1' },
      { user_id: ada.id, bio: 'a2' },
      { user_id: bob.id, bio: 'b1' },
      { user_id: bob.id, bio: 'b2' },
    ])
    const users = await User.query().orderBy('id').with('profile', (q) => q.orderBy('bio', 'desc').limit(1))
    expect(users.map((u) => u.profile?.bio)).toEqual(['a2', 'b2'])
    const offset = await User.query().orderBy('id').with('profile', (q) => q.orderBy('bio').offset(1))
    expect(offset.map((u) => u.profile?.bio)).toEqual(['a2', 'b2'])
  })

  it('belongsTo and morphTo: every child keeps its owner under a limit (each owner is its child\'s only row)', async () => {
    const { posts } = await seedPosts()
    const all = await Post.query().orderBy('views').with('author', (q) => q.limit(1))
    expect(all.map((p) => p.author?.name)).toEqual(['Bob', 'Ada', 'Ada', 'Bob', 'Ada'])
    clean(all[0]!.author!)
    const none = await Post.query().orderBy('views').with('author', (q) => q.offset(1))
    expect(none.map((p) => p.author)).toEqual([null, null, null, null, null])
    await posts.a30!.related('comments').create({ body: 'x', votes: 1 })
    await posts.b5!.related('comments').create({ body: 'y', votes: 1 })
    const comments = await Comment.query().orderBy('id').with('commentable', (q) => q.limit(1))
    expect(comments.map((c) => (c.commentable as Post).title)).toEqual(['a30', 'b5'])
  })

  it('a query of one parent (related().query()) and whereHas/withCount keep their plain meaning', async () => {
    const { ada } = await seedPosts()
    const two = await ada.related('posts').query().orderBy('views', 'desc').limit(2)
    expect(two.map((p) => p.title)).toEqual(['a30', 'a20'])
    const counted = await User.query().orderBy('id').withCount('posts')
    expect(counted.map((u) => u.$extras.postsCount)).toEqual([3, 2, 0])
  })

  it('bad limits are refused before any SQL', async () => {
    await seedPosts()
    const { queries, result } = await recording(ctx.db, async () => {
      const errors: unknown[] = []
      for (const bad of [-1, 1.5, Number.NaN, '2' as unknown as number]) {
        try {
          await User.query().with('posts', (q) => q.limit(bad))
        } catch (error) {
          errors.push(error)
        }
      }
      try {
        await User.query().with('posts', (q) => q.offset(-3))
      } catch (error) {
        errors.push(error)
      }
      try {
        await User.query().with('posts', (q) => q.forUpdate().limit(1))
      } catch (error) {
        errors.push(error)
      }
      return errors
    })
    expect(result).toHaveLength(6)
    expect((result[5] as Error).message).toMatch(/cannot lock rows/)
    for (const error of result) expect(error).toBeInstanceOf(QuarryError)
    expect((result[0] as Error).message).toMatch(/limit\(\) must be an integer/)
    // The parents were read; the relation's query never was.
    expect(queries.every((q) => !/row_number/i.test(q.sql))).toBe(true)
  })
})
