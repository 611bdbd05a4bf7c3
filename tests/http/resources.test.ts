// defineResource without a server: what make/collection/paginated give for loaded, counted and
// conditional values, page links from a given URL, and the errors for bad input.
import { beforeAll, expect, it } from 'vitest'
import { defineResource, QuarryError, RelationNotFoundError } from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'
import { PostResource, UserResource } from './routes.js'
import { createTables, Post, User } from './support.js'

forEachDialect('resources', (ctx) => {
  let ada: User
  let bob: User

  beforeAll(async () => {
    await createTables(ctx.db)
    ada = await User.create({ email: 'ada@example.com', name: 'Ada' })
    bob = await User.create({ email: 'bob@example.com', name: 'Bob' })
    await Post.create({ authorId: ada.id, title: 'One' })
    await Post.create({ authorId: ada.id, title: 'Two' })
  })

  it('leaves out relations not loaded and counts not selected', async () => {
    const user = await User.findOrFail(ada.id)
    expect(UserResource.make(user)).toEqual({ id: ada.id, email: 'ada@example.com', name: 'Ada' })
  })

  it('includes loaded relations through the nested resource, and counts from withCount', async () => {
    const [first, second] = await User.query().with('posts', (q) => q.orderBy('id')).withCount('posts').orderBy('id')
    expect(UserResource.make(first!)).toEqual({
      id: ada.id,
      email: 'ada@example.com',
      name: 'Ada',
      posts: [
        { id: expect.any(Number), title: 'One' },
        { id: expect.any(Number), title: 'Two' },
      ],
      postsCount: 2,
    })
    // Loaded but empty is an empty array; a count of zero is 0, not left out.
    expect(UserResource.make(second!)).toMatchObject({ posts: [], postsCount: 0 })
    expect(UserResource.collection([first!, second!]).map((u) => u.postsCount)).toEqual([2, 0])
  })

  it('a to-one relation gives its view, or null when loaded and absent; without a resource, toJSON()', async () => {
    const PostView = defineResource((post: Post, r) => ({
      title: post.title,
      author: r.whenLoaded('author', defineResource((u: User) => ({ name: u.name }))),
      authorJson: r.whenLoaded('author'),
    }))
    const post = await Post.query().with('author').orderBy('id').firstOrFail()
    expect(PostView.make(post)).toEqual({
      title: 'One',
      author: { name: 'Ada' },
      authorJson: { id: ada.id, email: 'ada@example.com', name: 'Ada' },
    })
    const orphan = await Post.query().orderBy('id').firstOrFail()
    orphan.$relations.author = null
    expect(PostView.make(orphan)).toEqual({ title: 'One', author: null, authorJson: null })
  })

  it('when(): a value or a function, called only when the condition holds; nested objects too', async () => {
    let calls = 0
    const view = (admin: boolean) =>
      defineResource((u: User, r) => ({
        id: u.id,
        token: r.when(admin, () => {
          calls++
          return 'secret'
        }),
        flag: r.when(admin, true),
        meta: { name: u.name, hidden: r.when(admin, 'x') },
      }))
    expect(view(false).make(bob)).toEqual({ id: bob.id, meta: { name: 'Bob' } })
    expect(calls).toBe(0)
    expect(view(true).make(bob)).toEqual({ id: bob.id, token: 'secret', flag: true, meta: { name: 'Bob', hidden: 'x' } })
    expect(calls).toBe(1)
  })

  it('make(null) is null; the output is plain JSON-ready data', async () => {
    expect(UserResource.make(null)).toBeNull()
    expect(JSON.parse(JSON.stringify(PostResource.collection(await Post.query().orderBy('id'))))).toEqual([
      { id: expect.any(Number), title: 'One' },
      { id: expect.any(Number), title: 'Two' },
    ])
  })

  it('paginated(): data, meta and links; the page parameter replaced, other parameters kept', async () => {
    const page = await User.query().orderBy('id').paginate(1, 1)
    const out = UserResource.paginated(page, { url: '/users?sort=id&page=1&perPage=1' })
    expect(out.data).toEqual([{ id: ada.id, email: 'ada@example.com', name: 'Ada' }])
    expect(out.meta).toEqual(page.meta)
    expect(out.links).toEqual({
      first: '/users?sort=id&page=1&perPage=1',
      last: '/users?sort=id&page=2&perPage=1',
      prev: null,
      next: '/users?sort=id&page=2&perPage=1',
    })
    // An absolute URL stays absolute; a baseUrl is prepended to the path; pageParam renames.
    const second = await User.query().orderBy('id').paginate(2, 1)
    expect(UserResource.paginated(second, { url: 'https://x.test/api/users?page=2' }).links).toEqual({
      first: 'https://x.test/api/users?page=1',
      last: 'https://x.test/api/users?page=2',
      prev: 'https://x.test/api/users?page=1',
      next: null,
    })
    expect(UserResource.paginated(second, { url: '/users', baseUrl: 'https://x.test/v1/', pageParam: 'p' }).links.first).toBe(
      'https://x.test/v1/users?p=1',
    )
    // Outside a request and without a URL, the links are query strings.
    expect(UserResource.paginated(second).links).toEqual({ first: '?page=1', last: '?page=2', prev: '?page=1', next: null })
  })

  it('cursorPaginated(): data, the cursors, and links with the cursor parameter set', async () => {
    const first = await User.query().orderBy('id').cursorPaginate(1, null)
    const out = UserResource.cursorPaginated(first, { url: '/users?perPage=1' })
    expect(out.data).toEqual([{ id: ada.id, email: 'ada@example.com', name: 'Ada' }])
    expect(out.meta).toEqual({ nextCursor: first.nextCursor, prevCursor: null })
    expect(out.links).toEqual({ next: `/users?perPage=1&cursor=${first.nextCursor}`, prev: null })
    // Following the link's cursor gives the next slice.
    const cursor = new URL(out.links.next!, 'http://x.test').searchParams.get('cursor')
    const second = await User.query().orderBy('id').cursorPaginate(1, cursor)
    expect(UserResource.cursorPaginated(second, { cursorParam: 'after' }).data).toEqual([{ id: bob.id, email: 'bob@example.com', name: 'Bob' }])
    expect(UserResource.cursorPaginated(second, { cursorParam: 'after' }).links.prev).toBe(`?after=${second.prevCursor}`)
    expect(() => UserResource.cursorPaginated({ data: [] } as never)).toThrow(/cursorPaginated\(\) takes what cursorPaginate\(\) returned/)
  })

  it('bad input is a QuarryError naming what was wrong', async () => {
    expect(() => UserResource.make({ id: 1 } as unknown as User)).toThrow(/make\(\) takes a model instance, not a plain object/)
    expect(() => UserResource.collection(5 as unknown as User[])).toThrow(/collection\(\) takes an array of models/)
    expect(() => UserResource.paginated([] as never)).toThrow(/paginated\(\) takes what paginate\(\) returned/)
    expect(() => UserResource.paginated({ data: [], meta: emptyMeta() }, { url: 'http://[bad' })).toThrow(QuarryError)
    const notAnObject = defineResource((u: User) => [u.id] as unknown as { id: number })
    expect(() => notAnObject.make(bob)).toThrow(/must return a plain object; it returned an array/)
    const wrongName = defineResource((u: User, r) => ({ x: r.whenLoaded('comments' as 'posts') }))
    const error = (() => {
      try {
        wrongName.make(bob)
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(RelationNotFoundError)
    expect((error as Error).message).toBe('r.whenLoaded(): User has no relation "comments"; its relations are: posts')
    expect(() => defineResource(null as never)).toThrow(/defineResource\(\) takes a view function/)
  })
})

function emptyMeta() {
  return { total: 0, perPage: 1, currentPage: 1, lastPage: 1, firstPage: 1, hasMorePages: false }
}
