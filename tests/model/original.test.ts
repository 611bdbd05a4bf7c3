import { beforeAll, expect, it } from 'vitest'
import { forEachDialect } from '../support/databases.js'
import { createSchema, RoleUser, User } from './models.js'

// §8: `$original` is keyed by property name, like `getDirty()`.
forEachDialect('$original', (ctx) => {
  beforeAll(async () => {
    await createSchema(ctx.db)
  })

  it('is keyed by property, as getDirty() is, and keeps the stored values until a save', async () => {
    const at = new Date('2026-01-02T03:04:05.000Z')
    const created = await User.create({ email: 'o@x.io', name: 'Old', age: 30, lastLoginAt: at })
    const user = (await User.find(created.id))!
    expect(user.$original.lastLoginAt).toEqual(at)
    expect((user.$original as Record<string, unknown>).last_login_at).toBeUndefined()
    expect(user.$original.name).toBe('Old')

    user.lastLoginAt = new Date('2027-01-01T00:00:00.000Z')
    user.name = 'New'
    expect(Object.keys(user.getDirty()).sort()).toEqual(['lastLoginAt', 'name'])
    for (const key of Object.keys(user.getDirty())) expect(key in user.$original).toBe(true)
    expect(user.$original.lastLoginAt).toEqual(at)
    expect(user.$original.name).toBe('Old')

    await user.save()
    expect(user.$original.name).toBe('New')
    expect(user.$original.lastLoginAt).toEqual(new Date('2027-01-01T00:00:00.000Z'))

    user.settings = { unsaved: true }
    await user.increment('age', 1, { name: 'Newer' })
    // The increment wrote age and name; the other assignment is still unsaved.
    expect(user.$original.age).toBe(31)
    expect(user.$original.settings).toBeNull()
    expect(user.getDirty()).toEqual({ settings: { unsaved: true } })
    await user.save()
    expect(user.$original.name).toBe('Newer')

    // A copy: changing it changes nothing.
    ;(user.$original as Record<string, unknown>).name = 'hacked'
    expect(user.$original.name).toBe('Newer')
    expect(user.isDirty()).toBe(false)
  })

  it('a custom columnName and a composite key are keyed by property too', async () => {
    await RoleUser.create({ userId: 1, roleId: 2, grantor: 7 })
    const row = (await RoleUser.find({ userId: 1, roleId: 2 }))!
    row.grantor = 8
    expect(row.$original).toEqual({ userId: 1, roleId: 2, grantor: 7 })
    expect(row.getDirty()).toEqual({ grantor: 8 })
    await row.save()
    expect(row.$original.grantor).toBe(8)
    expect((await RoleUser.find({ userId: 1, roleId: 2 }))!.grantor).toBe(8)
  })

  it('a new model has none; a failed save leaves it as it was', async () => {
    const fresh = new User()
    fresh.email = 'n@x.io'
    expect(fresh.$original).toEqual({})
    await User.create({ email: 'taken@x.io' })
    const user = await User.create({ email: 'r@x.io', name: 'Kept' })
    user.email = 'taken@x.io'
    await expect(user.save()).rejects.toThrow()
    expect(user.$original.email).toBe('r@x.io')
    expect(user.getDirty()).toEqual({ email: 'taken@x.io' })
  })
})
