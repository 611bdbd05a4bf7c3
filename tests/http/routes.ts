// The routes both integration tests serve, written once over a framework-neutral request.
import { type Database, defineResource, QueryTimeoutError } from '../../src/index.js'
import { Post, User } from './support.js'

export const PostResource = defineResource((post: Post) => ({ id: post.id, title: post.title }))
export const UserResource = defineResource((user: User, r) => ({
  id: user.id,
  email: user.email,
  name: user.name,
  posts: r.whenLoaded('posts', PostResource),
  postsCount: r.whenCounted('posts'),
}))

export interface Input {
  params: Record<string, string>
  query: Record<string, string | undefined>
  body: Record<string, unknown>
  db: Database
}

export interface Output {
  status?: number
  body?: unknown
}

export interface Route {
  method: 'GET' | 'POST'
  path: string
  handler: (input: Input) => Promise<Output>
}

/** Hooks a test sets to hold the slow route's transaction open. */
export interface SlowControl {
  entered: () => void
  gate: Promise<void>
}

export function routes(slow: { current?: SlowControl }): Route[] {
  return [
    {
      method: 'GET',
      path: '/users/:id',
      handler: async ({ params }) => {
        const user = await User.query().with('posts').withCount('posts').where('id', Number(params.id)).firstOrFail()
        return { body: UserResource.make(user) }
      },
    },
    {
      method: 'GET',
      path: '/users',
      handler: async ({ query }) => {
        const page = await User.query()
          .orderBy((query.sort ?? 'id') as 'id')
          .paginate(Number(query.page ?? 1), Number(query.perPage ?? 2))
        return { body: UserResource.paginated(page) }
      },
    },
    {
      // Keyset pages: the cursor comes from the client.
      method: 'GET',
      path: '/users-by-cursor',
      handler: async ({ query }) => {
        const slice = await User.query().orderBy('id').cursorPaginate(2, query.cursor ?? null)
        return { body: { data: UserResource.collection(slice.data), next: slice.nextCursor } }
      },
    },
    {
      method: 'POST',
      path: '/users',
      handler: async ({ body }) => ({ status: 201, body: UserResource.make(await User.create(body)) }),
    },
    {
      method: 'POST',
      path: '/posts',
      handler: async ({ body }) => ({ status: 201, body: PostResource.make(await Post.create(body)) }),
    },
    {
      method: 'GET',
      path: '/timeout',
      // The real error class a cancelled statement raises; its message quotes the SQL.
      handler: async () => {
        throw new QueryTimeoutError(25, "select * from http_users where api_token = 'tok-secret-1'")
      },
    },
    {
      method: 'GET',
      path: '/plain-error',
      handler: async () => {
        throw new Error('not a Quarry error')
      },
    },
    {
      // Reads, writes, reads again: each probe binds its own marker so its event can be found.
      method: 'POST',
      path: '/sticky',
      handler: async ({ body }) => {
        const marker = String(body.marker)
        await User.query().where('name', `${marker}-before`).first()
        await User.create({ email: `${marker}@example.com`, name: marker })
        if (body.hold) {
          slow.current!.entered()
          await slow.current!.gate
        }
        await User.query().where('name', `${marker}-after`).first()
        return { body: { ok: true } }
      },
    },
    {
      method: 'GET',
      path: '/probe',
      handler: async ({ query }) => {
        await User.query().where('name', String(query.marker)).first()
        return { body: { ok: true } }
      },
    },
    {
      // A transaction held open until the test opens the gate.
      method: 'POST',
      path: '/slow',
      handler: async ({ body, db }) => {
        const control = slow.current!
        await db.transaction(async () => {
          await User.create({ email: `${String(body.name)}-1@example.com`, name: String(body.name) })
          control.entered()
          await control.gate
          await User.create({ email: `${String(body.name)}-2@example.com`, name: String(body.name) })
        })
        return { body: { committed: true } }
      },
    },
  ]
}
