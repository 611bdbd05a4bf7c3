import { beforeAll, beforeEach, expect, it } from 'vitest'
import { Model, QuarryError } from '../../src/index.js'
import { hydrate } from '../../src/model/hydrate.js'
import { modelMetadata } from '../../src/model/model.js'
import { forEachDialect } from '../support/databases.js'
import { Admin, createEventSchema, Member, Note, rowsOf } from './models.js'
import { eventLog } from './support.js'

// Which events each operation fires, in which order, for which listeners.
forEachDialect('model events: order', (ctx) => {
  const events = eventLog()
  const { record, take, keep } = events

  beforeAll(async () => {
    await createEventSchema(ctx.db)
  })
  beforeEach(async () => {
    await ctx.db.table('event_members').delete()
    await ctx.db.table('event_notes').delete()
  })

  it('create: saving → creating → created → saved; update: saving → updating → updated → saved', async () => {
    record(Member)
    const member = await Member.create({ email: 'o@x.io' })
    expect(take()).toEqual(['Member:saving', 'Member:creating', 'Member:created', 'Member:saved'])
    member.name = 'O'
    expect(await member.save()).toBe(true)
    expect(take()).toEqual(['Member:saving', 'Member:updating', 'Member:updated', 'Member:saved'])
  })

  it('saving a clean model fires saving → saved only (nothing to update)', async () => {
    const member = await Member.create({ email: 'clean@x.io' })
    record(Member)
    expect(await member.save()).toBe(true)
    expect(take()).toEqual(['Member:saving', 'Member:saved'])
  })

  it('soft delete: deleting → deleted (no saving/updating); restore: restoring → saving → updating → updated → saved → restored', async () => {
    const member = await Member.create({ email: 'soft@x.io' })
    record(Member)
    expect(await member.delete()).toBe(true)
    expect(take()).toEqual(['Member:deleting', 'Member:deleted'])
    expect(await member.restore()).toBe(true)
    expect(take()).toEqual([
      'Member:restoring', 'Member:saving', 'Member:updating', 'Member:updated', 'Member:saved', 'Member:restored',
    ])
    expect((await rowsOf(ctx.db, 'event_members'))[0]!.deleted_at).toBeNull()
  })

  it('forceDelete: forceDeleting → deleting → deleted → forceDeleted, with and without soft deletes', async () => {
    const member = await Member.create({ email: 'force@x.io' })
    const note = await Note.create({ body: 'n' })
    record(Member)
    record(Note)
    expect(await member.forceDelete()).toBe(true)
    expect(await note.forceDelete()).toBe(true)
    expect(take()).toEqual([
      'Member:forceDeleting', 'Member:deleting', 'Member:deleted', 'Member:forceDeleted',
      'Note:forceDeleting', 'Note:deleting', 'Note:deleted', 'Note:forceDeleted',
    ])
    expect(await rowsOf(ctx.db, 'event_members')).toEqual([])
    expect(await rowsOf(ctx.db, 'event_notes')).toEqual([])
  })

  it('hard delete: deleting → deleted; destroy() deletes each model through delete()', async () => {
    const [a, b] = [await Note.create({ body: 'a' }), await Note.create({ body: 'b' })]
    record(Note, 'Note', ['retrieved', 'deleting', 'deleted'])
    expect(await a.delete()).toBe(true)
    expect(take()).toEqual(['Note:deleting', 'Note:deleted'])
    expect(await Note.destroy([b.id])).toBe(1)
    expect(take()).toEqual(['Note:retrieved', 'Note:deleting', 'Note:deleted'])
  })

  it('increment fires updating → updated; touch saves', async () => {
    const member = await Member.create({ email: 'inc@x.io' })
    record(Member)
    await member.increment('visits', 2)
    expect(take()).toEqual(['Member:updating', 'Member:updated'])
    // touch() sets updatedAt to now: in the same millisecond as the increment nothing would change.
    await new Promise((resolve) => setTimeout(resolve, 5))
    await member.touch()
    expect(take()).toEqual(['Member:saving', 'Member:updating', 'Member:updated', 'Member:saved'])
  })

  it('createMany, firstOrCreate and updateOrCreate go through create/save', async () => {
    record(Member, 'M', ['creating', 'created', 'updated'])
    await Member.createMany([{ email: 'm1@x.io' }, { email: 'm2@x.io' }])
    expect(take()).toEqual(['M:creating', 'M:created', 'M:creating', 'M:created'])
    await Member.firstOrCreate({ email: 'm3@x.io' })
    expect(take()).toEqual(['M:creating', 'M:created'])
    await Member.updateOrCreate({ email: 'm3@x.io' }, { name: 'Three' })
    expect(take()).toEqual(['M:updated'])
  })

  it('retrieved fires once per model loaded, in row order, for every way of loading', async () => {
    await Member.insert([{ email: 'r1@x.io' }, { email: 'r2@x.io' }, { email: 'r3@x.io' }])
    const seen: string[] = []
    keep(Member.on('retrieved', (member) => void seen.push(member.email)))
    await Member.query().orderBy('id')
    expect(seen).toEqual(['r1@x.io', 'r2@x.io', 'r3@x.io'])
    seen.length = 0
    await Member.findBy('email', 'r2@x.io')
    await Member.query().orderBy('id').paginate(1, 2)
    const streamed: string[] = []
    for await (const member of Member.query().orderBy('id').cursor({ batchSize: 2 })) streamed.push(member.email)
    expect(seen).toEqual(['r2@x.io', 'r1@x.io', 'r2@x.io', 'r1@x.io', 'r2@x.io', 'r3@x.io'])
    expect(streamed).toHaveLength(3)
  })

  it('an async retrieved handler is awaited before the query resolves; a throwing one rejects the query', async () => {
    await Member.insert([{ email: 'a1@x.io' }, { email: 'a2@x.io' }])
    keep(Member.on('retrieved', async (member) => {
      await new Promise((resolve) => setTimeout(resolve, 5))
      member.name = `seen ${member.email}`
    }))
    const loaded = await Member.query().orderBy('id')
    expect(loaded.map((m) => m.name)).toEqual(['seen a1@x.io', 'seen a2@x.io'])
    const boom = new Error('retrieved failed')
    keep(Member.on('retrieved', () => {
      throw boom
    }))
    await expect(Member.query()).rejects.toBe(boom)
  })

  it('hydration stays synchronous unless a retrieved listener is async: no per-row promise by default', async () => {
    const rows = () => [{ id: 1, body: 'a' }, { id: 2, body: 'b' }]
    const meta = modelMetadata(Note)
    keep(Model.on('saved', () => {}))
    keep(Member.on('retrieved', async () => {}))
    expect(Array.isArray(hydrate(meta, rows(), false))).toBe(true)
    const seen: string[] = []
    keep(Note.on('retrieved', (note) => void seen.push(note.body)))
    expect(Array.isArray(hydrate(meta, rows(), false))).toBe(true)
    expect(seen).toEqual(['a', 'b'])
    keep(Note.on('retrieved', async (note) => void seen.push(`async ${note.body}`)))
    const pending = hydrate<Note>(meta, rows(), false)
    expect(pending).toBeInstanceOf(Promise)
    expect((await pending).map((n) => n.body)).toEqual(['a', 'b'])
    expect(seen).toEqual(['a', 'b', 'a', 'async a', 'b', 'async b'])
  })

  it('bulk paths that bypass models fire nothing: insert, upsert, mass update and delete', async () => {
    record(Member, 'M', ['saving', 'creating', 'created', 'updating', 'updated', 'saved', 'deleting', 'deleted'])
    await Member.insert([{ email: 'b1@x.io' }, { email: 'b2@x.io' }])
    await Member.upsert([{ email: 'b1@x.io', name: 'B' }], 'email', ['name'])
    await Member.query().update({ name: 'mass' })
    await Member.query().where('email', 'b2@x.io').delete()
    expect(take()).toEqual([])
    const rows = await rowsOf(ctx.db, 'event_members')
    expect(rows.map((r) => [r.email, r.name, r.deleted_at === null])).toEqual([['b1@x.io', 'mass', true], ['b2@x.io', 'mass', false]])
  })

  it('handlers run in registration order, the model’s own before Model’s (global), each awaited', async () => {
    const log = events.log
    keep(Model.on('creating', () => void log.push('global 1')))
    keep(Member.on('creating', async () => {
      await new Promise((resolve) => setTimeout(resolve, 10))
      log.push('member 1 (slow)')
    }))
    keep(Model.on('creating', () => void log.push('global 2')))
    keep(Member.on('creating', () => void log.push('member 2')))
    await Member.create({ email: 'order@x.io' })
    expect(take()).toEqual(['member 1 (slow)', 'member 2', 'global 1', 'global 2'])
  })

  it('Model.on listens to every model; a class’s listeners never hear a sibling class', async () => {
    keep(Model.on('saved', (model) => void events.log.push(`global:${model.constructor.name}`)))
    record(Note, 'Note', ['saved'])
    await Member.create({ email: 'g@x.io' })
    await Note.create({ body: 'g' })
    expect(take()).toEqual(['global:Member', 'Note:saved', 'global:Note'])
  })

  it('a subclass hears its superclass’s listeners after its own; the superclass never hears the subclass’s', async () => {
    record(Member, 'Member', ['created'])
    record(Admin, 'Admin', ['created'])
    keep(Model.on('created', () => void events.log.push('Model:created')))
    const admin = await Admin.create({ email: 'admin@x.io' })
    expect(admin).toBeInstanceOf(Admin)
    expect(take()).toEqual(['Admin:created', 'Member:created', 'Model:created'])
    await Member.create({ email: 'plain@x.io' })
    expect(take()).toEqual(['Member:created', 'Model:created'])
  })

  it('on() returns its unsubscribe; off(event, fn) removes a listener and says whether it was there', async () => {
    const log = events.log
    const first = () => void log.push('first')
    const second = () => void log.push('second')
    const offFirst = Member.on('created', first)
    keep(Member.on('created', second))
    await Member.create({ email: 'u1@x.io' })
    expect(take()).toEqual(['first', 'second'])
    offFirst()
    offFirst() // idempotent
    await Member.create({ email: 'u2@x.io' })
    expect(take()).toEqual(['second'])
    expect(Member.off('created', second)).toBe(true)
    expect(Member.off('created', second)).toBe(false)
    expect(Note.off('created', first)).toBe(false)
    await Member.create({ email: 'u3@x.io' })
    expect(take()).toEqual([])
  })

  it('a listener may unsubscribe itself while firing; the others still run this time', async () => {
    const log = events.log
    const off = Member.on('creating', () => {
      log.push('once')
      off()
    })
    keep(Member.on('creating', () => void log.push('always')))
    await Member.create({ email: 'once1@x.io' })
    await Member.create({ email: 'once2@x.io' })
    expect(take()).toEqual(['once', 'always', 'always'])
  })

  it('an unknown event name or a handler that is not a function is refused at run time, naming it', () => {
    expect(() => Member.on('creatd' as never, () => {})).toThrow(QuarryError)
    expect(() => Member.on('creatd' as never, () => {})).toThrow(/Unknown model event "creatd".*creating/)
    expect(() => Member.on('created', 'nope' as never)).toThrow(/the handler must be a function, got "nope"/)
    expect(() => Member.off('nope' as never, () => {})).toThrow(/Unknown model event "nope"/)
  })
})
