// The blog API: users, posts (by slug, with tags), comments, pages of posts — on Fastify.
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import quarry, { type QuarryFastifyOptions } from '../../src/http/fastify.js'
import { Comment, Post, Tag, User } from './models.js'
import { CommentResource, PostResource, PostSummaryResource, UserResource } from './resources.js'

export interface BlogOptions {
  /** What `connect()` takes (a URL, or a connection config). */
  config: QuarryFastifyOptions['config']
  /** Prepended to page links (`https://blog.example.com`); links are paths without it. */
  baseUrl?: string
  logger?: FastifyServerOptions['logger']
}

const id = { type: 'object', properties: { id: { type: 'integer', minimum: 1 } }, required: ['id'] } as const
const slug = { type: 'object', properties: { slug: { type: 'string', minLength: 1 } }, required: ['slug'] } as const
const pageQuery = {
  type: 'object',
  properties: {
    page: { type: 'integer', minimum: 1, default: 1 },
    perPage: { type: 'integer', minimum: 1, maximum: 50, default: 5 },
    tag: { type: 'string' },
  },
} as const

const newPost = {
  type: 'object',
  properties: {
    authorId: { type: 'integer', minimum: 1 },
    title: { type: 'string', minLength: 1 },
    body: { type: 'string' },
    tags: { type: 'array', items: { type: 'string', minLength: 1 } },
  },
  required: ['authorId', 'title', 'body'],
} as const
const newComment = {
  type: 'object',
  properties: { authorId: { type: 'integer', minimum: 1 }, body: { type: 'string', minLength: 1 } },
  required: ['authorId', 'body'],
} as const

interface PageQuery {
  page: number
  perPage: number
  tag?: string
}

/** Builds the app (not listening yet): `await (await buildApp({ config })).listen({ port: 3000 })`. */
export async function buildApp(options: BlogOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false })
  await app.register(quarry, { config: options.config, ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}) })

  app.post('/users', async (request, reply) => {
    const user = await User.create(request.body as Partial<User>)
    return reply.status(201).send(UserResource.make(user))
  })

  app.get<{ Params: { id: number } }>('/users/:id', { schema: { params: id } }, async (request) => {
    const user = await User.query().withCount('posts').where('id', request.params.id).firstOrFail()
    return UserResource.make(user)
  })

  app.get<{ Params: { id: number }; Querystring: PageQuery }>(
    '/users/:id/posts',
    { schema: { params: id, querystring: pageQuery } },
    async (request) => {
      const user = await User.findOrFail(request.params.id)
      const { page, perPage } = request.query
      const posts = await Post.query()
        .where('authorId', user.id)
        .with('tags')
        .withCount('comments')
        .orderBy('id', 'desc')
        .paginate(page, perPage)
      return PostSummaryResource.paginated(posts)
    },
  )

  app.get<{ Querystring: PageQuery }>('/posts', { schema: { querystring: pageQuery } }, async (request) => {
    const { page, perPage, tag } = request.query
    const query = Post.query().scope('published').with('author', 'tags').withCount('comments')
    if (tag !== undefined) query.whereHas('tags', (q) => q.where('name', tag))
    const posts = await query.orderBy('publishedAt', 'desc').orderBy('id', 'desc').paginate(page, perPage)
    return PostSummaryResource.paginated(posts)
  })

  app.get<{ Params: { slug: string } }>('/posts/:slug', { schema: { params: slug } }, async (request) => {
    const post = await Post.query()
      .where('slug', request.params.slug)
      .with('author', 'tags')
      .with('comments', (q) => q.orderBy('id'))
      .with('comments.author')
      .withCount('comments')
      .firstOrFail()
    return PostResource.make(post)
  })

  // The body is mass-assigned as it came: a key outside Post.fillable (`id`, `slug`) is a 400.
  app.post<{ Body: { authorId: number; title: string; body: string; tags?: string[] } }>('/posts', { schema: { body: newPost } }, async (request, reply) => {
    const { tags = [], ...attributes } = request.body
    await User.findOrFail(attributes.authorId)
    const post = await request.quarry.transaction(async () => {
      const created = await Post.create(attributes)
      const ids: number[] = []
      for (const name of tags) ids.push((await Tag.firstOrCreate({ name })).id)
      if (ids.length) await created.related('tags').attach(ids)
      return created
    })
    // Read back in the same request: sticky reads send these to the primary.
    await post.load('author', 'tags')
    return reply.status(201).send(PostResource.make(post))
  })

  app.delete<{ Params: { slug: string } }>('/posts/:slug', { schema: { params: slug } }, async (request, reply) => {
    const post = await Post.query().where('slug', request.params.slug).firstOrFail()
    await post.delete()
    return reply.status(204).send()
  })

  app.post<{ Params: { slug: string }; Body: { authorId: number; body: string } }>(
    '/posts/:slug/comments',
    { schema: { params: slug, body: newComment } },
    async (request, reply) => {
      const post = await Post.query().where('slug', request.params.slug).firstOrFail()
      const author = await User.findOrFail(request.body.authorId)
      const comment = await Comment.create({ postId: post.id, authorId: author.id, body: request.body.body })
      await comment.load('author')
      return reply.status(201).send(CommentResource.make(comment))
    },
  )

  return app
}
