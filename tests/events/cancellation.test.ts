import { beforeAll, beforeEach, expect, it } from 'vitest'
import { type CancellableEventName, Model, type ModelEventName } from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'
import { createEventSchema, Member, Note, rowsOf } from './models.js'
import { eventLog } from './support.js'

type Operation = 'create' | 'update' | 'delete' | 'restore' | 'forceDelete' | 'deleteNote' | 'forceDeleteNote'

// The -ing events each operation fires (its cancellation points) and its -ed events.
const FIRES: Record<Operation, { ing: CancellableEventName[]; ed: ModelEventName[] }> = {
  create: { ing: ['saving', 'creating'], ed: ['created', 'saved'] },
  update: { ing: ['saving', 'updating'], ed: ['updated', 'saved'] },
  delete: { ing: ['deleting'], ed: ['deleted'] },
  restore: { ing: ['restoring', 'saving', 'updating'], ed: ['updated', 'saved', 'restored'] },
  forceDelete: { ing: ['forceDeleting', 'deleting'], ed: ['deleted', 'forceDeleted'] },
  deleteNote: { ing: ['deleting'], ed: ['deleted'] },
  forceDeleteNote: { ing: ['forceDeleting', 'deleting'], ed: ['deleted', 'forceDeleted'] },
}

// Cancelling (a -ing handler returning false) and aborting (any handler throwing) leave the
// database as it was; creating/saving handlers may change what is written.
forEachDialect('model events: cancellation, errors, mutation', (ctx) => {
  const { keep, log: events, record, take } = eventLog()
  const snapshot = async () => ({
    members: await rowsOf(ctx.db, 'event_members'),
    notes: await rowsOf(ctx.db, 'event_notes'),
  })

  beforeAll(async () => {
    await createEventSchema(ctx.db)
  })
  beforeEach(async () => {
    await ctx.db.table('event_members').delete()
    await ctx.db.table('event_notes').delete()
  })

  /** Sets up the model an operation works on (listeners are added after), and runs the operation. */
  async function prepare(operation: Operation): Promise<{ model: Model; run: () => Promise<boolean> }> {
    switch (operation) {
      case 'create': {
        const model = new Member().fill({ email: 'new@x.io', name: 'New' })
        return { model, run: () => model.save() }
      }
      case 'update': {
        const model = await Member.create({ email: 'up@x.io', name: 'Before' })
        model.name = 'After'
        return { model, run: () => model.save() }
      }
      case 'delete': {
        const model = await Member.create({ email: 'del@x.io' })
        return { model, run: () => model.delete() }
      }
      case 'restore': {
        const model = await Member.create({ email: 'res@x.io' })
        await model.delete()
        return { model, run: () => model.restore() }
      }
      case 'forceDelete': {
        const model = await Member.create({ email: 'force@x.io' })
        return { model, run: () => model.forceDelete() }
      }
      case 'deleteNote': {
        const model = await Note.create({ body: 'note' })
        return { model, run: () => model.delete() }
      }
      case 'forceDeleteNote': {
        const model = await Note.create({ body: 'note' })
        return { model, run: () => model.forceDelete() }
      }
    }
  }

  const Class = (operation: Operation) => (operation.endsWith('Note') ? Note : Member)

  for (const operation of Object.keys(FIRES) as Operation[]) {
    for (const event of FIRES[operation].ing) {
      it(`${operation}: a ${event} handler returning false cancels it; nothing written, resolves to false`, async () => {
        const { model, run } = await prepare(operation)
        const before = await snapshot()
        const Target = Class(operation)
        record(Target, 'seen')
        keep(Target.on(event, () => false))
        keep(Target.on(event, () => void events.push('after the cancelling handler')))
        expect(await run()).toBe(false)
        expect(await snapshot()).toEqual(before)
        // The events up to the cancelled one ran; no handler after it, no later event.
        const ing = FIRES[operation].ing
        expect(take()).toEqual(ing.slice(0, ing.indexOf(event) + 1).map((e) => `seen:${e}`))
        if (operation === 'create') expect(model.$isPersisted).toBe(false)
      })

      it(`${operation}: an async ${event} handler resolving to false cancels it too`, async () => {
        const { run } = await prepare(operation)
        const before = await snapshot()
        keep(Class(operation).on(event, async () => {
          await new Promise((resolve) => setTimeout(resolve, 2))
          return false
        }))
        expect(await run()).toBe(false)
        expect(await snapshot()).toEqual(before)
      })
    }

    for (const event of [...FIRES[operation].ing, ...FIRES[operation].ed]) {
      it(`${operation}: a throwing ${event} handler aborts it; the error reaches the caller, the database is as it was`, async () => {
        const { run } = await prepare(operation)
        const before = await snapshot()
        const boom = new Error(`${event} failed`)
        keep(Class(operation).on(event, () => {
          throw boom
        }))
        await expect(run()).rejects.toBe(boom)
        expect(await snapshot()).toEqual(before)
      })
    }
  }

  it('a -ed handler returning false changes nothing: the write stands', async () => {
    keep(Member.on('created', () => false))
    keep(Member.on('saved', () => false))
    const member = new Member().fill({ email: 'ed@x.io' })
    expect(await member.save()).toBe(true)
    expect(await rowsOf(ctx.db, 'event_members')).toHaveLength(1)
  })

  it('after a throwing created handler the model is unsaved again: a retry inserts exactly one row', async () => {
    const off = keep(Member.on('created', async () => {
      throw new Error('once')
    }))
    const member = new Member().fill({ email: 'retry@x.io' })
    await expect(member.save()).rejects.toThrow('once')
    expect(member.$isPersisted).toBe(false)
    expect(member.id).toBeUndefined()
    expect(member.createdAt).toBeUndefined()
    off()
    expect(await member.save()).toBe(true)
    const rows = await rowsOf(ctx.db, 'event_members')
    expect(rows.map((r) => [r.id, r.email])).toEqual([[member.id, 'retry@x.io']])
  })

  it('after a throwing updated handler the model still holds its unsaved change (and is dirty)', async () => {
    const member = await Member.create({ email: 'dirty@x.io', name: 'Before' })
    const off = keep(Member.on('updated', () => {
      throw new Error('no')
    }))
    member.name = 'After'
    await expect(member.save()).rejects.toThrow('no')
    expect(member.name).toBe('After')
    expect(member.isDirty('name')).toBe(true)
    off()
    await member.save()
    expect((await rowsOf(ctx.db, 'event_members'))[0]!.name).toBe('After')
  })

  it('inside a transaction a throwing handler undoes only its own operation (a savepoint); the rest commits', async () => {
    keep(Member.on('created', (member) => {
      if (member.email === 'bad@x.io') throw new Error('bad member')
    }))
    await ctx.db.transaction(async () => {
      await Member.create({ email: 'good@x.io' })
      await expect(Member.create({ email: 'bad@x.io' })).rejects.toThrow('bad member')
      await Note.create({ body: 'after' })
    })
    expect((await rowsOf(ctx.db, 'event_members')).map((r) => r.email)).toEqual(['good@x.io'])
    expect((await rowsOf(ctx.db, 'event_notes')).map((r) => r.body)).toEqual(['after'])
  })

  it('a global (Model.on) handler can cancel and abort as well', async () => {
    const off = keep(Model.on('deleting', () => false))
    const note = await Note.create({ body: 'kept' })
    expect(await note.delete()).toBe(false)
    off()
    keep(Model.on('deleted', () => {
      throw new Error('global refused')
    }))
    await expect(note.delete()).rejects.toThrow('global refused')
    expect(await rowsOf(ctx.db, 'event_notes')).toHaveLength(1)
  })

  it('a creating handler’s changes are written', async () => {
    keep(Member.on('creating', async (member) => {
      await new Promise((resolve) => setTimeout(resolve, 1))
      member.email = member.email.toLowerCase()
      member.name = 'set in creating'
    }))
    const member = await Member.create({ email: 'MiXeD@X.IO' })
    expect(member.email).toBe('mixed@x.io')
    const [row] = await rowsOf(ctx.db, 'event_members')
    expect([row!.email, row!.name]).toEqual(['mixed@x.io', 'set in creating'])
    expect(member.isDirty()).toBe(false)
  })

  it('saving and updating handlers’ changes are written on update, even when the save was otherwise clean', async () => {
    const member = await Member.create({ email: 's@x.io', visits: 0 })
    keep(Member.on('saving', (m) => {
      m.visits = m.visits + 1
    }))
    keep(Member.on('updating', (m) => {
      m.name = `visits ${m.visits}`
    }))
    expect(await member.save()).toBe(true)
    expect(await member.save()).toBe(true)
    const [row] = await rowsOf(ctx.db, 'event_members')
    expect([row!.visits, row!.name]).toEqual([2, 'visits 2'])
  })

  it('a saving handler on a new model is written as part of the insert', async () => {
    keep(Member.on('saving', (m) => {
      if (!m.$isPersisted) m.name = 'stamped'
    }))
    await Member.create({ email: 'n@x.io' })
    expect((await rowsOf(ctx.db, 'event_members'))[0]!.name).toBe('stamped')
  })
})
