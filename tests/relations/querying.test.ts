import { beforeAll, beforeEach, expect, it } from 'vitest'
import { QuarryError, RelationNotFoundError } from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'
import { Comment, Country, createSchema, Mechanic, Post, recording, Role, Tag, truncateAll, User, Video } from './models.js'

forEachDialect('relations: querying by relations (has, whereHas, withCount and the other aggregates)', (ctx) => {
  beforeAll(async () => {
    await createSchema(ctx.db)
  })
  beforeEach(async () => {
    await truncateAll(ctx.db)
  })

  /**
   * Ada (UK): posts Engines (3 comments, votes 1/2/6), Notes (unpublished, none); admin; avatar; profile.
   * Bob (France, mentored by Ada): post Bread (1 comment, votes 4); editor.
   * Cy (France): nothing. A video with 2 comments.
   */
  async function seed() {
    const uk = await Country.create({ name: 'UK' })
    const fr = await Country.create({ name: 'France' })
    const ada = await User.create({ name: 'Ada', countryId: uk.id })
    const bob = await User.create({ name: 'Bob', countryId: fr.id, mentorId: ada.id })
    const cy = await User.create({ name: 'Cy', countryId: fr.id })
    const engines = await Post.create({ authorId: ada.id, title: 'Engines', published: true, views: 100 })
    const notes = await Post.create({ authorId: ada.id, title: 'Notes', published: false, views: 10 })
    const bread = await Post.create({ authorId: bob.id, title: 'Bread', published: true, views: 40 })
    for (const votes of [1, 2, 6]) await engines.related('comments').create({ body: `e${votes}`, votes, userId: bob.id })
    await bread.related('comments').create({ body: 'b4', votes: 4, userId: ada.id })
    const video = await Video.create({ title: 'Lecture' })
    await video.related('comments').createMany([{ body: 'v1', votes: 1 }, { body: 'v2', votes: 2 }])
    const [admin, editor] = await Role.createMany([{ name: 'admin' }, { name: 'editor' }])
    await ada.related('roles').attach([admin!.id])
    await bob.related('roles').attach([editor!.id])
    await ada.related('avatar').create({ url: 'ada.png' })
    await ctx.db.table('profiles').insert({ user_id: ada.id, bio: 'x' })
    const tag = await Tag.create({ name: 'science' })
    await engines.related('tags').attach([tag.id])
    return { uk, fr, ada, bob, cy, engines, notes, bread, video, tag }
  }

  const names = (rows: Array<{ name: string }>) => rows.map((r) => r.name).sort()
  const titles = (rows: Array<{ title: string }>) => rows.map((r) => r.title).sort()

  it('has / doesntHave / whereHas / whereDoesntHave / or-variants on hasMany', async () => {
    await seed()
    expect(names(await User.query().has('posts'))).toEqual(['Ada', 'Bob'])
    expect(names(await User.query().doesntHave('posts'))).toEqual(['Cy'])
    expect(names(await User.query().has('posts', '>=', 2))).toEqual(['Ada'])
    expect(names(await User.query().has('posts', '=', 1))).toEqual(['Bob'])
    expect(names(await User.query().has('posts', '<', 2))).toEqual(['Bob', 'Cy'])
    expect(names(await User.query().whereHas('posts', (q) => q.where('published', false)))).toEqual(['Ada'])
    expect(names(await User.query().whereDoesntHave('posts', (q) => q.where('published', false)))).toEqual(['Bob', 'Cy'])
    expect(names(await User.query().whereHas('posts', (q) => q.where('views', '>', 5), '>=', 2))).toEqual(['Ada'])
    expect(names(await User.query().where('name', 'Cy').orHas('posts', '>', 1))).toEqual(['Ada', 'Cy'])
    expect(names(await User.query().where('name', 'Ada').orWhereHas('posts', (q) => q.where('title', 'Bread')))).toEqual(['Ada', 'Bob'])
    expect(names(await User.query().where('name', 'Ada').orDoesntHave('posts'))).toEqual(['Ada', 'Cy'])
    expect(names(await User.query().where('name', 'Bob').orWhereDoesntHave('roles'))).toEqual(['Bob', 'Cy'])
  })

  it('every relation type: hasOne, belongsTo, belongsToMany, through, morphOne, morphMany, morphTo, morphToMany, morphedByMany', async () => {
    await seed()
    expect(names(await User.query().has('profile'))).toEqual(['Ada'])
    expect(titles(await Post.query().whereHas('author', (q) => q.where('name', 'Bob')))).toEqual(['Bread'])
    expect(names(await User.query().whereHas('roles', (q) => q.where('name', 'admin')))).toEqual(['Ada'])
    expect(names(await Role.query().has('users'))).toEqual(['admin', 'editor'])
    expect(names(await Country.query().whereHas('posts', (q) => q.where('published', true)))).toEqual(['France', 'UK'])
    expect(names(await Country.query().has('posts', '>=', 2))).toEqual(['UK'])
    expect(names(await User.query().has('avatar'))).toEqual(['Ada'])
    expect(titles(await Post.query().has('comments', '>=', 3))).toEqual(['Engines'])
    expect(titles(await Video.query().has('comments'))).toEqual(['Lecture'])
    const onVideos = await Comment.query().whereHas('commentable', (q) => q.where('title', 'Lecture'))
    expect(onVideos.map((c) => c.body).sort()).toEqual(['v1', 'v2'])
    expect((await Comment.query().has('commentable')).length).toBe(6)
    expect(titles(await Post.query().has('tags'))).toEqual(['Engines'])
    expect(names(await Tag.query().has('posts'))).toEqual(['science'])
    expect(names(await Tag.query().has('videos'))).toEqual([])
    expect(await Mechanic.query().has('carOwner').count()).toBe(0)
  })

  it('self relations are aliased in the subquery', async () => {
    await seed()
    expect(names(await User.query().has('mentees'))).toEqual(['Ada'])
    expect(names(await User.query().whereHas('mentor', (q) => q.where('name', 'Ada')))).toEqual(['Bob'])
    const [ada] = await User.query().where('name', 'Ada').withCount('mentees')
    expect(ada!.$extras.menteesCount).toBe(1)
    // The soft-delete scope of the aliased table names the alias: a deleted mentee does not count.
    await (await User.query().where('name', 'Bob').firstOrFail()).delete()
    expect(names(await User.query().has('mentees'))).toEqual([])
  })

  it('dotted paths nest: the comparison applies to the last relation', async () => {
    await seed()
    expect(names(await User.query().has('posts.comments'))).toEqual(['Ada', 'Bob'])
    expect(names(await User.query().has('posts.comments', '>=', 3))).toEqual(['Ada'])
    expect(names(await User.query().whereHas('posts.comments', (q) => q.where('votes', '>', 5)))).toEqual(['Ada'])
    expect(names(await User.query().doesntHave('posts.comments'))).toEqual(['Cy'])
    expect(names(await Country.query().whereHas('posts.comments', (q) => q.where('votes', 4)))).toEqual(['France'])
    expect(names(await User.query().whereHas('posts.comments.author', (q) => q.where('name', 'Bob')))).toEqual(['Ada'])
    // Past a morphTo each owner class continues on its own: videos have no author, so their comments match nothing.
    const byAda = await Comment.query().whereHas('commentable.author', (q) => q.where('name', 'Ada'))
    expect(byAda.map((c) => c.body).sort()).toEqual(['e1', 'e2', 'e6'])
    expect((await Comment.query().doesntHave('commentable.author')).map((c) => c.body).sort()).toEqual(['v1', 'v2'])
    expect(() => Comment.query().has('commentable.nothing' as never)).toThrow(/Post or Video has no relation "nothing"/)
  })

  it('soft-deleted related rows do not count, unless the constraint says so', async () => {
    const { bread } = await seed()
    await bread.delete()
    expect(names(await User.query().has('posts'))).toEqual(['Ada'])
    expect(names(await User.query().whereHas('posts', (q) => q.withTrashed()))).toEqual(['Ada', 'Bob'])
    expect(names(await User.query().whereHas('posts', (q) => q.onlyTrashed()))).toEqual(['Bob'])
    const counted = await User.query().orderBy('id').withCount('posts').withCount('posts', (q) => q.withTrashed(), 'allPosts')
    expect(counted.map((u) => [u.$extras.postsCount, u.$extras.allPosts])).toEqual([[2, 2], [0, 1], [0, 0]])
  })

  it('withCount: numbers in $extras and at the top level of toJSON, with constraints and aliases', async () => {
    await seed()
    const { result: users, queries } = await recording(ctx.db, () =>
      User.query().orderBy('id').withCount('posts').withCount('posts', (q) => q.where('published', true), 'publishedCount').withCount('roles'),
    )
    expect(queries).toHaveLength(1)
    expect(users.map((u) => [u.name, u.$extras.postsCount, u.$extras.publishedCount, u.$extras.rolesCount])).toEqual([
      ['Ada', 2, 1, 1],
      ['Bob', 1, 1, 1],
      ['Cy', 0, 0, 0],
    ])
    expect(typeof users[0]!.$extras.postsCount).toBe('number')
    expect(Object.keys(users[0]!.$attributes)).not.toContain('postsCount')
    expect(users[0]!.toJSON()).toMatchObject({ name: 'Ada', postsCount: 2, publishedCount: 1 })
    expect(users[0]!.name).toBe('Ada')
    expect(users[0]!.isDirty()).toBe(false)
  })

  it('withCount on every relation type, and through a dotted path', async () => {
    await seed()
    const countries = await Country.query().orderBy('name').withCount('posts').withCount('users').withCount('posts.comments')
    expect(countries.map((c) => [c.name, c.$extras.postsCount, c.$extras.usersCount, c.$extras.postsCommentsCount])).toEqual([
      ['France', 1, 2, 1],
      ['UK', 2, 1, 3],
    ])
    const posts = await Post.query().orderBy('title').withCount('comments').withCount('tags').withCount('author')
    expect(posts.map((p) => [p.title, p.$extras.commentsCount, p.$extras.tagsCount, p.$extras.authorCount])).toEqual([
      ['Bread', 1, 0, 1],
      ['Engines', 3, 1, 1],
      ['Notes', 0, 0, 1],
    ])
    const comments = await Comment.query().orderBy('id').withCount('commentable')
    expect(comments.map((c) => c.$extras.commentableCount)).toEqual([1, 1, 1, 1, 1, 1])
    const [tag] = await Tag.query().withCount('posts').withCount('videos')
    expect([tag!.$extras.postsCount, tag!.$extras.videosCount]).toEqual([1, 0])
    const [ada] = await User.query().where('name', 'Ada').withCount('profile').withCount('avatar').withCount('posts.comments.author')
    // The distinct rows of the last relation: three comments on Ada's posts, all by Bob.
    expect([ada!.$extras.profileCount, ada!.$extras.avatarCount, ada!.$extras.postsCommentsAuthorCount]).toEqual([1, 1, 1])
  })

  it('withSum / withAvg / withMin / withMax: numbers, 0 or null when there is nothing', async () => {
    await seed()
    const users = await User.query().orderBy('id').withSum('posts', 'views').withAvg('posts', 'views').withMin('posts', 'views').withMax('posts', 'views', (q) => q.where('published', true), 'topViews')
    expect(users.map((u) => [u.$extras.postsSumViews, u.$extras.postsAvgViews, u.$extras.postsMinViews, u.$extras.topViews])).toEqual([
      [110, 55, 10, 100],
      [40, 40, 40, 40],
      [0, null, null, null],
    ])
    const [uk] = await Country.query().where('name', 'UK').withSum('posts.comments', 'votes')
    expect(uk!.$extras.postsCommentsSumVotes).toBe(9)
    const comments = await Comment.query().orderBy('id').withMax('commentable', 'title')
    expect(comments.map((c) => c.$extras.commentableMaxTitle)).toEqual(['Engines', 'Engines', 'Engines', 'Bread', 'Lecture', 'Lecture'])
    await expect(async () => User.query().withSum('posts', 'nope' as never)).rejects.toThrow(/nope/)
  })

  it('aggregates beside a custom select, with eager loads, and in pages', async () => {
    await seed()
    const [ada] = await User.query().select('id', 'name').where('name', 'Ada').withCount('posts').with('posts')
    expect(ada!.toJSON()).toEqual({ id: ada!.id, name: 'Ada', postsCount: 2, posts: expect.any(Array) })
    const [raw] = await User.query().select('id').selectRaw('? as ??', [7, 'seven']).where('name', 'Ada').withCount('posts')
    expect(Number(raw!.$extras.seven)).toBe(7)
    expect(raw!.$extras.postsCount).toBe(2)
    expect(Object.keys(raw!.$attributes)).toEqual(['id'])
    const page = await User.query().orderBy('id').withCount('posts').paginate(1, 2)
    expect(page.meta.total).toBe(3)
    expect(page.data.map((u) => u.$extras.postsCount)).toEqual([2, 1])
    expect(await User.query().withCount('posts').count()).toBe(3)
    const first = await User.query().orderBy('id').withCount('posts').first()
    expect(first!.$extras.postsCount).toBe(2)
  })

  it('subqueries are correlated as hand-written knex would write them', async () => {
    await seed()
    const knex = ctx.db.knex
    const ours = User.query().whereHas('posts', (q) => q.where('published', true)).toSQL()
    const theirs = knex('users')
      .whereExists(
        knex('posts')
          .where((b) => void b.where('published', true))
          .whereNull('posts.deleted_at')
          .where('posts.author_id', knex.ref('users.id')),
      )
      .whereNull('users.deleted_at')
      .toSQL()
      .toNative()
    expect(ours.bindings).toEqual(theirs.bindings)
    expect(ours.sql.replace(/\s+/g, ' ')).toContain('exists (select * from')
    expect(ours.sql).toContain(knex.raw('??', ['posts.author_id']).toQuery())
  })

  it('an unknown relation, operator or count is refused before any SQL', async () => {
    const { queries } = await recording(ctx.db, async () => {
      expect(() => User.query().whereHas('postz' as never)).toThrow(RelationNotFoundError)
      expect(() => User.query().has('posts.nope' as never)).toThrow(/Post has no relation "nope"/)
      expect(() => User.query().withCount('nope' as never)).toThrow(RelationNotFoundError)
      expect(() => User.query().has('posts', 'between' as never, 1)).toThrow(/Unknown comparison operator/)
      expect(() => User.query().has('posts', '>=', -1)).toThrow(/whole number/)
      expect(() => User.query().withSum('posts', '' as never)).toThrow(QuarryError)
      expect(() => User.query().withCount('posts', undefined, '')).toThrow(/alias/)
      expect(() => Comment.query().withCount('commentable.tags')).toThrow(/Comment.commentable is a morphTo; aggregate over it on its own/)
      expect(() => User.query().withCount('comments.commentable')).toThrow(/is a morphTo/)
    })
    expect(queries).toHaveLength(0)
  })
})
