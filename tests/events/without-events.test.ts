import { beforeAll, beforeEach, expect, it } from 'vitest'
import { Model } from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'
import { Admin, createEventSchema, Member, Note, rowsOf } from './models.js'
import { eventLog } from './support.js'

/** A gate one flow opens and another waits on, to interleave two flows step by step. */
function gate() {
  let open!: () => void
  const opened = new Promise<void>((resolve) => (open = resolve))
  return { open, opened }
}

// Switching events off: only inside the callback, only for that model, only in that async flow.
forEachDialect('model events: withoutEvents, saveQuietly, deleteQuietly', (ctx) => {
  const { record, take, keep, log } = eventLog()

  beforeAll(async () => {
    await createEventSchema(ctx.db)
  })
  beforeEach(async () => {
    await ctx.db.table('event_members').delete()
    await ctx.db.table('event_notes').delete()
  })

  it('inside withoutEvents no event of that model fires (cancelling ones neither); other models keep theirs; after it, they are back', async () => {
    record(Member)
    record(Note)
    keep(Member.on('creating', () => false))
    const value = await Member.withoutEvents(async () => {
      const member = await Member.create({ email: 'quiet@x.io' })
      member.name = 'Q'
      await member.save()
      await Member.all()
      await member.delete()
      await Note.create({ body: 'loud' })
      return 'result'
    })
    expect(value).toBe('result')
    expect(take()).toEqual(['Note:saving', 'Note:creating', 'Note:created', 'Note:saved'])
    expect((await rowsOf(ctx.db, 'event_members')).map((r) => [r.email, r.name])).toEqual([['quiet@x.io', 'Q']])
    expect(await new Member().fill({ email: 'loud@x.io' }).save()).toBe(false)
    expect(take()).toEqual(['Member:saving', 'Member:creating'])
  })

  it('withoutEvents on a class mutes its subclasses; Model.withoutEvents mutes every model', async () => {
    record(Member, 'Member', ['created'])
    record(Note, 'Note', ['created'])
    await Member.withoutEvents(() => Admin.create({ email: 'sub@x.io' }))
    expect(take()).toEqual([])
    await Admin.withoutEvents(() => Member.create({ email: 'parent@x.io' }))
    expect(take()).toEqual(['Member:created'])
    await Model.withoutEvents(async () => {
      await Member.create({ email: 'm@x.io' })
      await Note.create({ body: 'n' })
    })
    expect(take()).toEqual([])
  })

  it('withoutEvents passes on what the callback throws, and events are back afterwards', async () => {
    record(Note, 'Note', ['created'])
    await expect(Note.withoutEvents(async () => {
      await Note.create({ body: 'kept' })
      throw new Error('inside')
    })).rejects.toThrow('inside')
    await Note.create({ body: 'after' })
    expect(take()).toEqual(['Note:created'])
    await expect(Note.withoutEvents('nope' as never)).rejects.toThrow(/takes a function, got string/)
  })

  it('concurrent flows: one inside withoutEvents, one outside, interleaved — only the outside one fires', async () => {
    keep(Member.on('creating', async (member) => {
      await new Promise((resolve) => setTimeout(resolve, 1))
      log.push(`creating ${member.email}`)
    }))
    keep(Member.on('created', (member) => void log.push(`created ${member.email}`)))
    const quietFirst = gate()
    const loudFirst = gate()
    const quietSecond = gate()
    const quiet = Member.withoutEvents(async () => {
      await Member.create({ email: 'quiet1@x.io' })
      quietFirst.open()
      await loudFirst.opened
      await Member.create({ email: 'quiet2@x.io' })
      quietSecond.open()
    })
    const loud = (async () => {
      await quietFirst.opened
      await Member.create({ email: 'loud1@x.io' })
      loudFirst.open()
      await quietSecond.opened
      await Member.create({ email: 'loud2@x.io' })
    })()
    await Promise.all([quiet, loud])
    expect(take()).toEqual(['creating loud1@x.io', 'created loud1@x.io', 'creating loud2@x.io', 'created loud2@x.io'])
    expect((await rowsOf(ctx.db, 'event_members')).map((r) => r.email)).toEqual(['quiet1@x.io', 'loud1@x.io', 'quiet2@x.io', 'loud2@x.io'])
  })

  it('truly concurrent: many quiet and loud creates in flight at once', async () => {
    keep(Member.on('saved', (member) => void log.push(member.email)))
    const loud = Array.from({ length: 10 }, (_, i) => `loud${i}@x.io`)
    const quiet = Array.from({ length: 10 }, (_, i) => `quiet${i}@x.io`)
    await Promise.all([
      ...loud.map((email) => Member.create({ email })),
      ...quiet.map((email) => Member.withoutEvents(() => Member.create({ email }))),
    ])
    expect(take().sort()).toEqual([...loud].sort())
    expect(await rowsOf(ctx.db, 'event_members')).toHaveLength(20)
  })

  it('saveQuietly and deleteQuietly write without any event; the same model’s next save fires again', async () => {
    record(Member)
    keep(Member.on('saving', () => false))
    keep(Member.on('deleting', () => false))
    const member = new Member().fill({ email: 'q@x.io' })
    expect(await member.saveQuietly()).toBe(true)
    member.name = 'Quiet'
    expect(await member.saveQuietly()).toBe(true)
    expect(take()).toEqual([])
    expect((await rowsOf(ctx.db, 'event_members')).map((r) => r.name)).toEqual(['Quiet'])
    member.name = 'Loud'
    expect(await member.save()).toBe(false)
    expect(take()).toEqual(['Member:saving'])
    expect(await member.delete()).toBe(false)
    expect(take()).toEqual(['Member:deleting'])
    expect(await member.deleteQuietly()).toBe(true)
    expect(take()).toEqual([])
    expect((await rowsOf(ctx.db, 'event_members'))[0]!.deleted_at).not.toBeNull()
    const note = await Note.create({ body: 'n' })
    expect(await note.deleteQuietly()).toBe(true)
    expect(await rowsOf(ctx.db, 'event_notes')).toEqual([])
  })

  it('saveQuietly is quiet only for its own flow: a concurrent save of another model fires', async () => {
    keep(Member.on('saving', async (m) => {
      await new Promise((resolve) => setTimeout(resolve, 2))
      log.push(`saving ${m.email}`)
    }))
    const quiet = new Member().fill({ email: 'sq@x.io' })
    const loud = new Member().fill({ email: 'sl@x.io' })
    await Promise.all([quiet.saveQuietly(), loud.save()])
    expect(take()).toEqual(['saving sl@x.io'])
  })
})
