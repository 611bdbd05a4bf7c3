import { beforeAll, beforeEach, expect, it } from 'vitest'
import { Model, QuarryError } from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'
import { Comment, Country, createSchema, Image, Post, recording, Tag, truncateAll, User, Video } from './models.js'

forEachDialect('relations: polymorphic (morphOne, morphMany, morphTo, morphToMany, morphedByMany)', (ctx) => {
  beforeAll(async () => {
    await createSchema(ctx.db)
  })
  beforeEach(async () => {
    await truncateAll(ctx.db)
  })

  async function seed() {
    const ada = await User.create({ name: 'Ada' })
    const post = await Post.create({ authorId: ada.id, title: 'Engines', published: true })
    const other = await Post.create({ authorId: ada.id, title: 'Notes', published: false })
    const video = await Video.create({ title: 'Lecture' })
    const c1 = await post.related('comments').create({ body: 'on the post', votes: 3 })
    const c2 = await post.related('comments').create({ body: 'again', votes: 1 })
    const c3 = await video.related('comments').create({ body: 'on the video', votes: 5 })
    return { ada, post, other, video, c1, c2, c3 }
  }

  it('morphMany: create() sets the type name (from the morph map) and the key; with() reads each owner\'s own', async () => {
    const { post, video, c1 } = await seed()
    const [row] = await ctx.db.table('comments').where('id', c1.id)
    expect(row).toMatchObject({ commentable_type: 'post' })
    expect(String(row!.commentable_id).toLowerCase()).toBe(post.id)
    // A comment on a video whose key equals a post's key does not belong to the post.
    await ctx.db.table('comments').insert({ commentable_type: 'video', commentable_id: post.id, body: 'stray', votes: 0 })
    const { result: posts, queries } = await recording(ctx.db, () => Post.query().orderBy('title').with('comments', (q) => q.orderBy('id')))
    expect(queries).toHaveLength(2)
    expect(posts.map((p) => p.comments.map((c) => c.body))).toEqual([['on the post', 'again'], []])
    const [loaded] = await Video.query().with('comments')
    expect(loaded!.comments.map((c) => c.body)).toEqual(['on the video'])
    expect(loaded!.id).toBe(video.id)
  })

  it('morphOne: owners stored by table name when the morph map has no entry', async () => {
    const ada = await User.create({ name: 'Ada' })
    const fr = await Country.create({ name: 'France' })
    await ada.related('avatar').create({ url: 'ada.png' })
    await fr.related('flag').create({ url: 'fr.png' })
    expect((await ctx.db.table('images').select('imageable_type').orderBy('id')).map((r) => r.imageable_type)).toEqual(['users', 'countries'])
    const [user] = await User.query().with('avatar')
    expect(user!.avatar!.url).toBe('ada.png')
    const [country] = await Country.query().with('flag')
    expect(country!.flag!.url).toBe('fr.png')
    const images = await Image.query().orderBy('id').with('imageable')
    expect(images.map((i) => i.imageable?.constructor.name)).toEqual(['User', 'Country'])
  })

  it('morphTo: one query per owner type, each row matched to its owner; no type gives null', async () => {
    const { post, video } = await seed()
    await ctx.db.table('comments').insert({ body: 'orphan', votes: 0 })
    const { result: comments, queries } = await recording(ctx.db, () => Comment.query().orderBy('id').with('commentable'))
    expect(queries).toHaveLength(3) // comments, posts, videos
    expect(comments.map((c) => c.commentable?.constructor.name ?? null)).toEqual(['Post', 'Post', 'Video', null])
    expect((comments[0]!.commentable as Post).id).toBe(post.id)
    expect((comments[2]!.commentable as Video).title).toBe(video.title)
    expect(comments[0]!.commentable).toBe(comments[1]!.commentable)
    const owner = await comments[2]!.related('commentable').query().first()
    expect(owner).toBeInstanceOf(Video)
  })

  it('morphTo paths continue per owner class; a class without the next relation is skipped', async () => {
    const { ada } = await seed()
    const comments = await Comment.query().orderBy('id').with('commentable.author', 'commentable.comments')
    expect((comments[0]!.commentable as Post).author!.id).toBe(ada.id)
    expect((comments[2]!.commentable as Video).comments).toHaveLength(1)
    expect(Object.keys(comments[2]!.commentable!.$relations)).toEqual(['comments'])
    await expect(Comment.query().with('commentable.nothing' as never)).rejects.toThrow(/has no relation "nothing"/)
  })

  it('a stored type that is not in the morph map is a clear error, never a guessed class', async () => {
    await seed()
    await ctx.db.table('comments').insert({ commentable_type: 'podcast', commentable_id: '00000000-0000-7000-8000-000000000000', body: 'x', votes: 0 })
    const message = /Comment\.commentable: no model is registered for the morph type "podcast"; map it with Model\.morphMap\(\{ 'podcast': YourModel \}\)/
    await expect(Comment.query().with('commentable')).rejects.toThrow(message)
    const stray = (await Comment.query().where('commentableType', 'podcast').first())!
    expect(() => stray.related('commentable').query()).toThrow(message)
    // A table name is only accepted for a class declared as an owner: 'tags' is not one.
    await ctx.db.table('comments').update({ commentable_type: 'tags' }).where('commentable_type', 'podcast')
    await expect(Comment.query().with('commentable')).rejects.toThrow(/morph type "tags"/)
  })

  it('Model.morphMap merges; one name for two classes, or two names for one class, is refused', () => {
    expect(() => Model.morphMap({ post: Post })).not.toThrow()
    expect(() => Model.morphMap({ post: Video })).toThrow(/"post" is already mapped to Post; it cannot also name Video/)
    expect(() => Model.morphMap({ article: Post })).toThrow(/Post is already mapped as "post"/)
    expect(() => Model.morphMap({ '': Tag })).toThrow(QuarryError)
    expect(() => Model.morphMap({ tag: 'Tag' as never })).toThrow(/must map to a model class/)
  })

  it('associate() and dissociate() on a morphTo set and clear the type and the key', async () => {
    const { video, c1 } = await seed()
    await c1.related('commentable').associate(video)
    expect(c1.commentable).toBe(video)
    const [row] = await ctx.db.table('comments').where('id', c1.id)
    expect(row!.commentable_type).toBe('video')
    expect(String(row!.commentable_id).toLowerCase()).toBe(video.id)
    await c1.related('commentable').dissociate()
    expect(c1.commentable).toBeNull()
    const [cleared] = await ctx.db.table('comments').where('id', c1.id)
    expect([cleared!.commentable_type, cleared!.commentable_id]).toEqual([null, null])
    await expect(c1.related('commentable').associate({} as never)).rejects.toThrow(/expects a model/)
  })

  it('morphToMany and morphedByMany: the pivot carries the morph type of the polymorphic side', async () => {
    const { post, other, video } = await seed()
    const [red, blue] = await Tag.createMany([{ name: 'red' }, { name: 'blue' }])
    await post.related('tags').attach([red!.id, blue!.id])
    await video.related('tags').attach([red!])
    await other.related('tags').attach([blue!.id])
    const rows = await ctx.db.table('taggables').select('taggable_type').orderBy('taggable_type')
    expect(rows.map((r) => r.taggable_type)).toEqual(['post', 'post', 'post', 'video'])
    const posts = await Post.query().orderBy('title').with('tags', (q) => q.orderBy('name'))
    expect(posts.map((p) => p.tags.map((t) => t.name))).toEqual([['blue', 'red'], ['blue']])
    expect(posts[0]!.tags[0]!.$pivot).toMatchObject({ taggableType: 'post', tagId: blue!.id })
    const tags = await Tag.query().orderBy('name').with('posts', 'videos')
    expect(tags.map((t) => [t.name, t.posts.map((p) => p.title).sort(), t.videos.map((v) => v.title)])).toEqual([
      ['blue', ['Engines', 'Notes'], []],
      ['red', ['Engines'], ['Lecture']],
    ])
    expect(await video.related('tags').detach()).toBe(1)
    expect(await ctx.db.table('taggables').count({ n: '*' }).then((r) => Number(r[0]!.n))).toBe(3)
    const synced = await red!.related('videos').sync([video.id])
    expect(synced.attached).toEqual([video.id])
    expect((await video.related('tags').query()).map((t) => t.name)).toEqual(['red'])
  })
})
