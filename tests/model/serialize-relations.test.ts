import { beforeAll, expect, it } from 'vitest'
import { QuarryError } from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'
import { Country, createSchema, Role, User } from '../relations/models.js'

// §8: `serialize({ fields, relations })`: when `relations` is given it lists every relation that
// appears (nested `{ fields, relations }` each); `$pivot` appears as `pivot` only for
// `relations: { roles: { pivot: true } }`.
forEachDialect('serialize({ fields, relations })', (ctx) => {
  let userId = 0

  beforeAll(async () => {
    await createSchema(ctx.db)
    const country = await Country.create({ name: 'Chile' })
    const user = await User.create({ name: 'Ann', countryId: country.id })
    userId = user.id
    const post = await user.related('posts').create({ title: 'Hello', published: true, views: 3 })
    await post.related('comments').create({ body: 'Nice', votes: 1 })
    const admin = await Role.create({ name: 'admin' })
    await user.related('roles').attach({ [admin.id]: { grantedBy: 9 } })
  })

  const load = () => User.query().where('id', userId).with('posts.comments', 'roles', 'country').firstOrFail()

  it('without relations, every loaded relation appears, pivots included (as toJSON)', async () => {
    const user = await load()
    const all = user.serialize()
    expect(Object.keys(all)).toEqual(expect.arrayContaining(['posts', 'roles', 'country']))
    expect((all.roles as Array<Record<string, unknown>>)[0]!.pivot).toMatchObject({ grantedBy: 9 })
    expect(user.serialize({ fields: ['id'] })).toMatchObject({ id: userId, posts: expect.any(Array), roles: expect.any(Array), country: expect.any(Object) })
    expect(user.toJSON().roles).toEqual(all.roles)
  })

  it('with relations, only the listed ones appear, each with its own fields and relations', async () => {
    const user = await load()
    const out = user.serialize({ fields: ['name'], relations: { posts: { fields: ['title'], relations: { comments: { fields: ['body'] } } } } })
    expect(out).toEqual({ name: 'Ann', posts: [{ title: 'Hello', comments: [{ body: 'Nice' }] }] })
    // A listed relation without its own `relations` shows all of its loaded relations.
    const posts = user.serialize({ fields: ['id'], relations: { posts: { fields: ['title'] } } }).posts as Array<Record<string, unknown>>
    expect(posts[0]).toEqual({ title: 'Hello', comments: [expect.objectContaining({ body: 'Nice' })] })
    // An empty listing shows none; a listed relation that was not loaded is left out.
    expect(Object.keys(user.serialize({ fields: ['id'], relations: {} }))).toEqual(['id'])
    const bare = await User.findOrFail(userId)
    expect(bare.serialize({ fields: ['id'], relations: { posts: {} } })).toEqual({ id: userId })
  })

  it('pivot appears under a listing only when asked with pivot: true', async () => {
    const user = await load()
    const without = user.serialize({ fields: ['id'], relations: { roles: { fields: ['name'] } } })
    expect(without).toEqual({ id: userId, roles: [{ name: 'admin' }] })
    const withPivot = user.serialize({ fields: ['id'], relations: { roles: { fields: ['name'], pivot: true } } })
    expect((withPivot.roles as Array<Record<string, unknown>>)[0]).toEqual({ name: 'admin', pivot: expect.objectContaining({ grantedBy: 9 }) })
    // A model serialised on its own keeps its pivot unless told otherwise.
    const role = user.roles[0]!
    expect(role.serialize().pivot).toMatchObject({ grantedBy: 9 })
    expect(role.serialize({ pivot: false }).pivot).toBeUndefined()
  })

  it('an unknown relation name, or options that are not an object, is a QuarryError naming it', async () => {
    const user = await load()
    expect(() => user.serialize({ relations: { postz: {} } as never })).toThrow(QuarryError)
    expect(() => user.serialize({ relations: { postz: {} } as never })).toThrow(/no relation "postz".*posts/)
    expect(() => user.serialize({ relations: { posts: { relations: { nope: {} } } } as never })).toThrow(/Post has no relation "nope"/)
    expect(() => user.serialize({ relations: { posts: true } as never })).toThrow(/relation "posts" must be an object/)
    expect(() => user.serialize({ relations: ['posts'] as never })).toThrow(/relations must be an object/)
  })
})
