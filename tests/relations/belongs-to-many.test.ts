import { beforeAll, beforeEach, expect, it } from 'vitest'
import { QuarryError } from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'
import { createSchema, recording, Role, truncateAll, User } from './models.js'

forEachDialect('relations: belongsToMany and pivots', (ctx) => {
  beforeAll(async () => {
    await createSchema(ctx.db)
  })
  beforeEach(async () => {
    await truncateAll(ctx.db)
  })

  const pivotRows = async () =>
    ((await ctx.db.table('role_user').select('user_id', 'role_id', 'granted_by').orderBy(['user_id', 'role_id'])) as Array<Record<string, unknown>>).map((r) => [
      Number(r.user_id),
      Number(r.role_id),
      r.granted_by === null ? null : Number(r.granted_by),
    ])

  async function seed() {
    const ada = await User.create({ name: 'Ada' })
    const bob = await User.create({ name: 'Bob' })
    const cy = await User.create({ name: 'Cy' })
    const admin = await Role.create({ name: 'admin' })
    const editor = await Role.create({ name: 'editor' })
    const viewer = await Role.create({ name: 'viewer' })
    return { ada, bob, cy, admin, editor, viewer }
  }

  it('attach() writes pivot rows with values and timestamps; with() reads them into $pivot', async () => {
    const { ada, bob, admin, editor, viewer } = await seed()
    const before = Date.now()
    await ada.related('roles').attach([admin.id, editor], { grantedBy: 7 })
    await bob.related('roles').attach({ [viewer.id]: { grantedBy: 8 }, [admin.id]: {} })
    expect(await pivotRows()).toEqual([
      [ada.id, admin.id, 7],
      [ada.id, editor.id, 7],
      [bob.id, admin.id, null],
      [bob.id, viewer.id, 8],
    ])
    const { result: users, queries } = await recording(ctx.db, () => User.query().orderBy('id').with('roles', (q) => q.orderBy('name')))
    expect(queries).toHaveLength(2)
    expect(users.map((u) => u.roles.map((r) => r.name))).toEqual([['admin', 'editor'], ['admin', 'viewer'], []])
    const role = users[0]!.roles[0]!
    expect(role).toBeInstanceOf(Role)
    expect(role.$pivot).toMatchObject({ userId: ada.id, roleId: admin.id, grantedBy: 7 })
    expect(Number(role.$pivot!.grantedBy)).toBe(7)
    expect(role.$pivot!.createdAt).toBeInstanceOf(Date)
    expect((role.$pivot!.createdAt as Date).getTime()).toBeGreaterThanOrEqual(before - 1000)
    expect(role.$extras).toEqual({})
    const json = role.toJSON()
    expect(json).toMatchObject({ id: admin.id, name: 'admin', pivot: { userId: ada.id, roleId: admin.id, grantedBy: 7 } })
    expect(Object.keys(json)).not.toContain('quarry_pivot_user_id')
  })

  it('the inverse relation and a shared related row: each parent gets its own instance and pivot', async () => {
    const { ada, bob, admin } = await seed()
    await ada.related('roles').attach([admin.id], { grantedBy: 1 })
    await bob.related('roles').attach([admin.id], { grantedBy: 2 })
    const [role] = await Role.query().where('name', 'admin').with('users', (q) => q.orderBy('name'))
    expect(role!.users.map((u) => [u.name, Number(u.$pivot!.grantedBy)])).toEqual([['Ada', 1], ['Bob', 2]])
    const users = await User.query().orderBy('id').with('roles')
    expect(users[0]!.roles[0]).not.toBe(users[1]!.roles[0])
    expect(users.slice(0, 2).map((u) => Number(u.roles[0]!.$pivot!.grantedBy))).toEqual([1, 2])
  })

  it('related().query() reads one parent\'s related rows with their pivot, constraints and all', async () => {
    const { ada, admin, editor } = await seed()
    await ada.related('roles').attach([admin.id, editor.id])
    const roles = await ada.related('roles').query().where('name', 'like', 'ed%')
    expect(roles.map((r) => r.name)).toEqual(['editor'])
    expect(roles[0]!.$pivot).toMatchObject({ userId: ada.id, roleId: editor.id })
    // An orWhere cannot escape the parent: the relation's own condition is ANDed after the group.
    const others = await ada.related('roles').query().where('name', 'viewer').orWhere('name', 'admin')
    expect(others.map((r) => r.name)).toEqual(['admin'])
    expect(await ada.related('roles').query().count()).toBe(2)
  })

  it('detach() some or all; resolves to how many', async () => {
    const { ada, bob, admin, editor, viewer } = await seed()
    await ada.related('roles').attach([admin.id, editor.id, viewer.id])
    await bob.related('roles').attach([admin.id])
    expect(await ada.related('roles').detach([editor.id])).toBe(1)
    expect(await ada.related('roles').detach(viewer)).toBe(1)
    expect(await pivotRows()).toEqual([[ada.id, admin.id, null], [bob.id, admin.id, null]])
    expect(await ada.related('roles').detach()).toBe(1)
    expect(await pivotRows()).toEqual([[bob.id, admin.id, null]])
  })

  it('sync() attaches, detaches and updates; resolves to what it did', async () => {
    const { ada, admin, editor, viewer } = await seed()
    await ada.related('roles').attach({ [admin.id]: { grantedBy: 1 }, [editor.id]: { grantedBy: 2 } })
    const result = await ada.related('roles').sync({ [editor.id]: { grantedBy: 3 }, [viewer.id]: { grantedBy: 4 } })
    expect(result.attached.map(Number)).toEqual([viewer.id])
    expect(result.detached.map(Number)).toEqual([admin.id])
    expect(result.updated.map(Number)).toEqual([editor.id])
    expect(await pivotRows()).toEqual([[ada.id, editor.id, 3], [ada.id, viewer.id, 4]])
    // Same values: nothing updated; a plain list leaves pivot values alone.
    const again = await ada.related('roles').sync([editor.id, viewer.id])
    expect(again).toEqual({ attached: [], detached: [], updated: [] })
    const keep = await ada.related('roles').sync([admin.id], false)
    expect(keep).toEqual({ attached: [admin.id], detached: [], updated: [] })
    expect((await pivotRows()).length).toBe(3)
  })

  it('toggle() and updatePivot(); pivot timestamps move on update', async () => {
    const { ada, admin, editor } = await seed()
    await ada.related('roles').attach([admin.id])
    const toggled = await ada.related('roles').toggle([admin.id, editor.id])
    expect(toggled).toEqual({ attached: [editor.id], detached: [admin.id] })
    expect(await pivotRows()).toEqual([[ada.id, editor.id, null]])
    const [before] = await ctx.db.table('role_user').select('updated_at')
    await new Promise((r) => setTimeout(r, 5))
    expect(await ada.related('roles').updatePivot(editor.id, { grantedBy: 9 })).toBe(1)
    expect(await ada.related('roles').updatePivot(admin.id, { granted_by: 9 })).toBe(0)
    const [after] = await ctx.db.table('role_user').select('updated_at', 'granted_by')
    expect(Number(after!.granted_by)).toBe(9)
    expect(new Date(after!.updated_at as string).getTime()).toBeGreaterThan(new Date(before!.updated_at as string).getTime())
  })

  it('create() and save() through the relation attach the model, in one transaction', async () => {
    const { ada } = await seed()
    const created = await ada.related('roles').create({ name: 'owner' }, { grantedBy: 5 })
    expect(created).toBeInstanceOf(Role)
    expect(created.$isPersisted).toBe(true)
    const fresh = new Role().fill({ name: 'guest' })
    await ada.related('roles').save(fresh)
    const many = await ada.related('roles').createMany([{ name: 'a' }, { name: 'b' }])
    expect(many).toHaveLength(2)
    await ada.load('roles')
    expect(ada.roles.map((r) => r.name).sort()).toEqual(['a', 'b', 'guest', 'owner'])
    expect(Number(ada.roles.find((r) => r.name === 'owner')!.$pivot!.grantedBy)).toBe(5)
  })

  it('bad input is refused before any write: unknown pivot columns, wrong keys, unsaved parents', async () => {
    const { ada, admin } = await seed()
    await expect(ada.related('roles').attach([admin.id], { nope: 1 })).rejects.toThrow(/"nope" is not a pivot column; the pivot columns are: grantedBy/)
    await expect(ada.related('roles').attach([{} as never])).rejects.toThrow(/expected Role keys or models, got Object/)
    await expect(ada.related('roles').attach([ada as never])).rejects.toThrow(/got User/)
    await expect(ada.related('roles').updatePivot(admin.id, {})).rejects.toThrow(/at least one pivot column/)
    await expect(new User().related('roles').attach([admin.id])).rejects.toThrow(/has no id yet; save it/)
    await expect(ada.related('roles').create({ name: 'x' }, { nope: 1 })).rejects.toThrow(QuarryError)
    expect(await pivotRows()).toEqual([])
    expect(await Role.query().count()).toBe(3)
    // A pair attached already is skipped (API §8: attach is race-safe), not a second row nor an error.
    await ada.related('roles').attach([admin.id])
    await ada.related('roles').attach([admin.id])
    expect((await pivotRows()).length).toBe(1)
  })

  it('writes a belongsToMany does not have are refused, naming the relation types that have them', async () => {
    const { ada } = await seed()
    const posts = ada.related('posts') as unknown as { attach(ids: unknown): Promise<void> }
    await expect(posts.attach([1])).rejects.toThrow(/User.posts is a hasMany relation; attach\(\) is for belongsToMany/)
    const roles = ada.related('roles') as unknown as { associate(m: unknown): Promise<void> }
    await expect(roles.associate(ada)).rejects.toThrow(/associate\(\) is for belongsTo and morphTo relations/)
  })
})
