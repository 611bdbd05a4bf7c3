import { afterEach, beforeAll, beforeEach, expect, it } from 'vitest'
import { type LifecycleStep, type Model, setLifecycleHooks } from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'
import { createSchema, Post, truncate, User } from './models.js'

// The seam the events module plugs into: every write of one model passes through one hook.
forEachDialect('lifecycle seam', (ctx) => {
  const steps: string[] = []
  let cancel: LifecycleStep | undefined
  let loaded = 0

  beforeAll(async () => {
    await createSchema(ctx.db)
  })
  beforeEach(async () => {
    await truncate(ctx.db, 'users', 'posts')
    steps.length = 0
    cancel = undefined
    loaded = 0
    setLifecycleHooks({
      async run(step, model, action) {
        steps.push(`${step}:${(model.constructor as typeof Model).name}`)
        if (step === cancel) return false
        const done = await action()
        if (done) steps.push(`${step}ed`)
        return done
      },
      retrieved(models) {
        loaded += models.length
      },
      wantsRetrieved: (Class) => Class === User,
    })
  })
  afterEach(() => setLifecycleHooks(undefined))

  it('save wraps create and update; nothing-to-save still passes through save only', async () => {
    const user = await User.create({ email: 'l@x.io' })
    expect(steps).toEqual(['save:User', 'create:User', 'createed', 'saveed'])
    steps.length = 0
    user.name = 'L'
    await user.save()
    expect(steps).toEqual(['save:User', 'update:User', 'updateed', 'saveed'])
    steps.length = 0
    await user.save()
    expect(steps).toEqual(['save:User', 'saveed'])
  })

  it('a cancelled step writes nothing and save() resolves to false', async () => {
    cancel = 'create'
    const user = new User().fill({ email: 'cancelled@x.io' })
    expect(await user.save()).toBe(false)
    expect(user.$isPersisted).toBe(false)
    expect(await ctx.db.table('users')).toEqual([])
    cancel = undefined
    await user.save()
    cancel = 'update'
    user.name = 'never'
    expect(await user.save()).toBe(false)
    expect((await ctx.db.table('users'))[0]!.name).toBeNull()
    cancel = 'delete'
    expect(await user.delete()).toBe(false)
    expect(await User.find(user.id)).not.toBeNull()
  })

  it('delete, forceDelete (wrapping delete) and restore (wrapping save) are steps too', async () => {
    const user = await User.create({ email: 'd@x.io' })
    steps.length = 0
    await user.delete()
    expect(steps).toEqual(['delete:User', 'deleteed'])
    steps.length = 0
    await user.restore()
    expect(steps).toEqual(['restore:User', 'save:User', 'update:User', 'updateed', 'saveed', 'restoreed'])
    steps.length = 0
    cancel = 'forceDelete'
    expect(await user.forceDelete()).toBe(false)
    expect(await User.find(user.id)).not.toBeNull()
    cancel = undefined
    await user.forceDelete()
    expect(steps.slice(-4)).toEqual(['forceDelete:User', 'delete:User', 'deleteed', 'forceDeleteed'])
  })

  it('retrieved is reported once per batch, only for models that want it; bulk writes skip the hooks', async () => {
    await User.insert([{ email: 'a@x.io' }, { email: 'b@x.io' }])
    expect(steps).toEqual([])
    await User.all()
    expect(loaded).toBe(2)
    await Post.create({ authorId: 1, title: 'p', published: true })
    await Post.all()
    expect(loaded).toBe(2)
    await User.query().update({ name: 'mass' })
    await User.query().delete()
    expect(steps.filter((s) => s.includes('User'))).toEqual([])
  })
})
