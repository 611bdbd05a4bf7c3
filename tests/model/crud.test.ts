import { beforeAll, beforeEach, expect, it } from 'vitest'
import {
  isUuidV7,
  MassAssignmentError,
  ModelNotFoundError,
  QuarryError,
  Repository,
  UniqueViolationError,
  UnknownColumnError,
} from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'
import { createSchema, Post, RoleUser, truncate, User } from './models.js'

forEachDialect('models: create, find, save, delete', (ctx) => {
  beforeAll(async () => {
    await createSchema(ctx.db)
  })
  beforeEach(async () => {
    await truncate(ctx.db, 'users', 'posts', 'role_user')
  })

  const rows = (table: string) => ctx.db.table(table).select('*')

  it('create() inserts the row and reads the auto-increment id back', async () => {
    const first = await User.create({ email: 'ada@example.com', name: 'Ada', age: 36 })
    const second = await User.create({ email: 'bob@example.com', name: 'Bob' })
    expect(typeof first.id).toBe('number')
    expect(second.id).toBe(first.id + 1)
    expect(first.$isPersisted).toBe(true)
    expect(first.isDirty()).toBe(false)
    const [row] = await ctx.db.table('users').where('id', first.id)
    expect(row!.email).toBe('ada@example.com')
    expect(row!.age).toBe(36)
    expect(first.createdAt).toBeInstanceOf(Date)
    expect(first.updatedAt.getTime()).toBe(first.createdAt.getTime())
  })

  it('a UUIDv7 key is generated on insert and stored as is', async () => {
    const post = await Post.create({ authorId: 1, title: 'Hello', published: false })
    expect(isUuidV7(post.id)).toBe(true)
    const [row] = await rows('posts')
    expect(String(row!.id).toLowerCase()).toBe(post.id)
    expect((await Post.findOrFail(post.id)).title).toBe('Hello')
  })

  it('find, findOrFail, findBy, findMany, first, all', async () => {
    const a = await User.create({ email: 'a@x.io', name: 'A' })
    const b = await User.create({ email: 'b@x.io', name: 'B' })
    expect((await User.find(a.id))!.email).toBe('a@x.io')
    expect(await User.find(987654)).toBeNull()
    expect((await User.findBy('email', 'b@x.io'))!.id).toBe(b.id)
    expect((await User.findMany([a.id, b.id])).map((u) => u.id).sort()).toEqual([a.id, b.id].sort())
    expect(await User.findMany([])).toEqual([])
    expect((await User.all()).length).toBe(2)
    expect(await User.first()).toBeInstanceOf(User)
    await expect(User.findOrFail(987654)).rejects.toBeInstanceOf(ModelNotFoundError)
    await expect(User.findOrFail(987654)).rejects.toMatchObject({ model: 'User', ids: 987654 })
    await expect(User.query().where('email', 'nobody').firstOrFail()).rejects.toMatchObject({ model: 'User' })
  })

  it('composite keys: find({ userId, roleId }), save and delete by both columns', async () => {
    await RoleUser.create({ userId: 1, roleId: 2, grantor: 9 })
    await RoleUser.create({ userId: 1, roleId: 3, grantor: null })
    const link = await RoleUser.findOrFail({ userId: 1, roleId: 3 })
    expect(link.grantor).toBeNull()
    link.grantor = 7
    await link.save()
    expect((await RoleUser.findOrFail({ userId: 1, roleId: 3 })).grantor).toBe(7)
    expect((await RoleUser.findOrFail({ userId: 1, roleId: 2 })).grantor).toBe(9)
    expect(await RoleUser.findMany([{ userId: 1, roleId: 2 }, { userId: 1, roleId: 3 }])).toHaveLength(2)
    await link.delete()
    expect(await RoleUser.find({ userId: 1, roleId: 3 })).toBeNull()
    expect(link.$isDeleted).toBe(true)
    await expect(RoleUser.find(1)).rejects.toThrow(/composite key/)
    expect(link.toJSON()).toEqual({ userId: 1, roleId: 3, grantedBy: 7 })
  })

  it('save() writes only the dirty columns, and nothing when nothing changed', async () => {
    const user = await User.create({ email: 'd@x.io', name: 'D', age: 20 })
    const statements: string[] = []
    const off = ctx.db.on('query', (e) => statements.push(e.sql))
    try {
      expect(await user.save()).toBe(true)
      expect(statements).toEqual([])
      user.name = 'Dee'
      expect(user.isDirty()).toBe(true)
      expect(user.isDirty('name')).toBe(true)
      expect(user.isDirty('age')).toBe(false)
      expect(user.getDirty()).toEqual({ name: 'Dee' })
      expect(user.$original.name).toBe('D')
      await user.save()
    } finally {
      off()
    }
    expect(statements).toHaveLength(1)
    expect(statements[0]).toMatch(/update/i)
    expect(statements[0]).toMatch(/name/)
    expect(statements[0]).not.toMatch(/email|"age"|`age`/)
    expect(user.wasChanged('name')).toBe(true)
    expect(user.wasChanged('age')).toBe(false)
    expect(user.isDirty()).toBe(false)
    expect(user.$original.name).toBe('Dee')
    const [row] = await ctx.db.table('users').where('id', user.id)
    expect(row!.name).toBe('Dee')
  })

  it('assigning a value back to the original is not a change; in-place JSON edits are', async () => {
    const user = await User.create({ email: 'j@x.io', name: 'J', settings: { theme: 'dark', tags: ['a'] } })
    user.name = 'K'
    user.name = 'J'
    expect(user.isDirty()).toBe(false)
    const loaded = await User.findOrFail(user.id)
    expect(loaded.isDirty()).toBe(false)
    ;(loaded.settings!.tags as string[]).push('b')
    expect(loaded.isDirty('settings')).toBe(true)
    await loaded.save()
    expect((await User.findOrFail(user.id)).settings).toEqual({ theme: 'dark', tags: ['a', 'b'] })
  })

  it('mass assignment: fill honours fillable; a refused key throws and assigns nothing', async () => {
    class Guarded extends User {
      static override fillable = ['email', 'name']
    }
    const user = new Guarded()
    expect(() => user.fill({ email: 'g@x.io', age: 5 } as never)).toThrow(MassAssignmentError)
    expect(user.email).toBeUndefined()
    expect(() => user.fill({ email: 'g@x.io', emial: 'x' } as never)).toThrow(UnknownColumnError)
    user.merge({ email: 'g@x.io', age: 5 })
    expect(user.age).toBe(5)
    await expect(Guarded.create({ email: 'h@x.io', age: 4 } as never)).rejects.toThrow(/"age" cannot be mass-assigned/)
    expect(await ctx.db.table('users').where('email', 'h@x.io')).toEqual([])

    class Everything extends User {
      static override fillable: string[] = []
      static guarded = ['id']
    }
    expect(() => new Everything().fill({ id: 3 } as never)).toThrow(MassAssignmentError)
    expect(new Everything().fill({ age: 3 }).age).toBe(3)
  })

  it('delete() removes the row of a model without soft deletes', async () => {
    const post = await Post.create({ authorId: 1, title: 'Bye', published: true })
    expect(await post.delete()).toBe(true)
    expect(post.$isPersisted).toBe(false)
    expect(await rows('posts')).toEqual([])
  })

  it('destroy(ids) deletes each model and counts them', async () => {
    const a = await Post.create({ authorId: 1, title: 'A', published: true })
    const b = await Post.create({ authorId: 1, title: 'B', published: true })
    await Post.create({ authorId: 1, title: 'C', published: true })
    expect(await Post.destroy([a.id, b.id])).toBe(2)
    expect(await Post.query().count()).toBe(1)
    expect(await Post.destroy(a.id)).toBe(0)
  })

  it('refresh(), increment(), decrement(), touch()', async () => {
    const user = await User.create({ email: 'i@x.io', age: 10 })
    await ctx.db.table('users').where('id', user.id).update({ name: 'changed elsewhere' })
    await user.refresh()
    expect(user.name).toBe('changed elsewhere')
    expect(user.isDirty()).toBe(false)
    await user.increment('age')
    await user.increment('age', 5)
    await user.decrement('age', 2)
    expect(user.age).toBe(14)
    expect((await User.findOrFail(user.id)).age).toBe(14)
    const before = user.updatedAt.getTime()
    await new Promise((r) => setTimeout(r, 5))
    await user.touch()
    expect(user.updatedAt.getTime()).toBeGreaterThan(before)
    expect((await User.findOrFail(user.id)).updatedAt.getTime()).toBe(user.updatedAt.getTime())
    const gone = await User.create({ email: 'gone@x.io' })
    await gone.forceDelete()
    await expect(gone.refresh()).rejects.toBeInstanceOf(ModelNotFoundError)
    await expect(user.increment('nope' as never)).rejects.toThrow(/^increment\(\): User has no column or property "nope"/)
  })

  it('touch() always writes, even twice within one millisecond (regression: same-ms touch was a no-op)', async () => {
    const user = await User.create({ email: 'touched@x.io' })
    const writes: string[] = []
    const off = ctx.db.on('query', (e) => {
      if (/^update/i.test(e.sql)) writes.push(e.sql)
    })
    const first = user.updatedAt.getTime()
    await user.touch()
    await user.touch()
    off()
    expect(writes).toHaveLength(2)
    expect(user.updatedAt.getTime()).toBeGreaterThan(first)
    expect((await User.findOrFail(user.id)).updatedAt.getTime()).toBe(user.updatedAt.getTime())
  })

  it('replicate() copies the attributes but not the key, timestamps, slug or version; is() compares rows', async () => {
    const post = await Post.create({ authorId: 4, title: 'Twice', published: true })
    const copy = post.replicate()
    expect(copy.$isPersisted).toBe(false)
    expect(copy.id).toBeUndefined()
    expect(copy.title).toBe('Twice')
    await copy.save()
    expect(copy.slug).toBe('twice-2')
    expect(copy.version).toBe(1)
    expect(copy.is(post)).toBe(false)
    expect(post.is(await Post.find(post.id))).toBe(true)
    expect(post.is(null)).toBe(false)
  })

  it('firstOrCreate, firstOrNew, updateOrCreate', async () => {
    const created = await User.firstOrCreate({ email: 'f@x.io' }, { name: 'First' })
    expect(created.name).toBe('First')
    const again = await User.firstOrCreate({ email: 'f@x.io' }, { name: 'Second' })
    expect(again.id).toBe(created.id)
    expect(again.name).toBe('First')
    const fresh = await User.firstOrNew({ email: 'n@x.io' }, { name: 'New' })
    expect(fresh.$isPersisted).toBe(false)
    expect(fresh.name).toBe('New')
    expect((await User.firstOrNew({ email: 'f@x.io' })).id).toBe(created.id)
    const updated = await User.updateOrCreate({ email: 'f@x.io' }, { name: 'Updated' })
    expect(updated.id).toBe(created.id)
    expect((await User.findOrFail(created.id)).name).toBe('Updated')
    const made = await User.updateOrCreate({ email: 'u@x.io' }, { name: 'Made' })
    expect(made.$isPersisted).toBe(true)
    expect(await User.query().count()).toBe(2)
  })

  it('firstOrCreate and updateOrCreate are race-safe on a unique column', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => User.firstOrCreate({ email: 'race@x.io' }, { name: `racer ${i}` })),
    )
    expect(new Set(results.map((u) => u.id)).size).toBe(1)
    expect(await ctx.db.table('users').where('email', 'race@x.io')).toHaveLength(1)
    const updates = await Promise.all(
      Array.from({ length: 6 }, (_, i) => User.updateOrCreate({ email: 'race2@x.io' }, { age: i })),
    )
    expect(new Set(updates.map((u) => u.id)).size).toBe(1)
    expect(await ctx.db.table('users').where('email', 'race2@x.io')).toHaveLength(1)
  })

  it('a failed insert inside a transaction (firstOrCreate) leaves the transaction usable', async () => {
    // A soft-deleted row holds the email: the search misses it, the insert hits the unique index.
    const trashed = await User.create({ email: 'tx@x.io', name: 'trashed' })
    await trashed.delete()
    await ctx.db.transaction(async () => {
      await expect(User.firstOrCreate({ email: 'tx@x.io' })).rejects.toBeInstanceOf(UniqueViolationError)
      // On PostgreSQL this only works because the insert ran in a savepoint.
      await User.create({ email: 'after@x.io' })
    })
    expect(await ctx.db.table('users').where('email', 'after@x.io')).toHaveLength(1)
  })

  it('createMany() creates each in one transaction: all or none', async () => {
    const made = await User.createMany([{ email: 'm1@x.io' }, { email: 'm2@x.io' }])
    expect(made.map((u) => u.email)).toEqual(['m1@x.io', 'm2@x.io'])
    await expect(User.createMany([{ email: 'm3@x.io' }, { email: 'm1@x.io' }])).rejects.toThrow()
    expect(await ctx.db.table('users').where('email', 'm3@x.io')).toEqual([])
  })

  it('upsert() inserts new rows and updates existing ones by the unique columns', async () => {
    await User.create({ email: 'up@x.io', name: 'Old', age: 1 })
    await User.upsert(
      [
        { email: 'up@x.io', name: 'New', age: 2 },
        { email: 'up2@x.io', name: 'Other', age: 3 },
      ],
      'email',
      ['name'],
    )
    const all = await User.query().orderBy('email')
    expect(all.map((u) => [u.email, u.name, u.age])).toEqual([
      ['up2@x.io', 'Other', 3],
      ['up@x.io', 'New', 1],
    ])
    await expect(User.upsert([{ email: 'z@x.io' }], 'nope' as never)).rejects.toBeInstanceOf(UnknownColumnError)
  })

  it('column properties are prototype accessors over $attributes, keyed by column', async () => {
    const user = new User()
    user.email = 'plain@x.io'
    user.lastLoginAt = new Date(5)
    expect(user.$attributes).toEqual({ email: 'plain@x.io', last_login_at: new Date(5) })
    expect(Object.keys(user)).not.toContain('email')
  })

  it('bad inputs: unknown attributes, wrong key shapes, Model itself', async () => {
    await expect(User.create({ emial: 'x' } as never)).rejects.toBeInstanceOf(UnknownColumnError)
    await expect(User.create({ emial: 'x' } as never)).rejects.toThrow(/did you mean "email"/)
    await expect(User.find({ id: 1 })).rejects.toThrow(QuarryError)
    await expect(User.findMany('1' as never)).rejects.toThrow(/expects an array/)
    expect(await ctx.db.table('users')).toEqual([])
    const { Model } = await import('../../src/index.js')
    expect(() => Model.query()).toThrow(/base class/)
  })

  it('Repository: find, findOrFail, all, paginate, create, update, delete, query', async () => {
    class UserRepository extends Repository<typeof User> {
      adults() {
        return this.query().where('age', '>=', 18)
      }
    }
    const users = new UserRepository(User)
    const ada = await users.create({ email: 'ada@repo.io', age: 36 })
    await users.create({ email: 'kid@repo.io', age: 9 })
    expect((await users.find(ada.id))!.email).toBe('ada@repo.io')
    expect((await users.all()).length).toBe(2)
    expect((await users.adults()).map((u) => u.email)).toEqual(['ada@repo.io'])
    const page = await users.paginate(1, 1)
    expect(page.meta.total).toBe(2)
    expect(page.data).toHaveLength(1)
    const updated = await users.update(ada.id, { name: 'Ada L.' })
    expect(updated.name).toBe('Ada L.')
    expect((await users.findOrFail(ada.id)).name).toBe('Ada L.')
    expect(await users.delete(ada.id)).toBe(true)
    expect(await users.find(ada.id)).toBeNull()
    await expect(users.update(987654, { name: 'x' })).rejects.toBeInstanceOf(ModelNotFoundError)
    await expect(users.delete(987654)).rejects.toBeInstanceOf(ModelNotFoundError)
    expect(() => new Repository({} as never)).toThrow(/model class/)
  })
})
