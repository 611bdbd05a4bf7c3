import { beforeAll, beforeEach, expect, it } from 'vitest'
import { Model, type ModelObserver, QuarryError } from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'
import { createEventSchema, Member, Note, rowsOf } from './models.js'
import { eventLog } from './support.js'

/** An observer class: `this` is the instance, which keeps its own state. */
class MemberObserver implements ModelObserver<Member> {
  static made = 0
  readonly seen: string[] = []
  constructor() {
    MemberObserver.made++
  }
  creating(member: Member) {
    this.seen.push(`creating ${member.email}`)
  }
  saved(member: Member) {
    this.seen.push(`saved ${member.email}`)
  }
  helper() {
    return 'not an event: ignored'
  }
}

// Observers, and after-commit observers against commits, rollbacks and savepoints.
forEachDialect('model events: observers', (ctx) => {
  const { keep, log, take } = eventLog()
  const connection = () => ctx.db.connection()

  /** An afterCommit observer logging every -ed event (and whether a transaction was open then). */
  function afterCommitObserver(label = 'ac') {
    const note = (event: string) => (model: Member | Note) => {
      const where = connection().currentTransaction() ? 'in trx' : 'after commit'
      log.push(`${label}:${event}:${'email' in model ? model.email : (model as Note).body}:${where}`)
    }
    return {
      afterCommit: true,
      creating: note('creating'),
      created: note('created'),
      updated: note('updated'),
      saved: note('saved'),
      deleted: note('deleted'),
      restored: note('restored'),
      forceDeleted: note('forceDeleted'),
    }
  }

  beforeAll(async () => {
    await createEventSchema(ctx.db)
  })
  beforeEach(async () => {
    await ctx.db.table('event_members').delete()
    await ctx.db.table('event_notes').delete()
  })

  it('an object observer: its methods named after events are listeners, called with the model', async () => {
    keep(Member.observe({
      saving: (m) => void log.push(`saving ${m.email}`),
      created: (m) => void log.push(`created ${m.id === undefined ? 'no id' : 'with id'}`),
      deleted: async (m) => {
        await new Promise((resolve) => setTimeout(resolve, 2))
        log.push(`deleted ${m.email}`)
      },
    }))
    const member = await Member.create({ email: 'obj@x.io' })
    await member.delete()
    expect(take()).toEqual(['saving obj@x.io', 'created with id', 'deleted obj@x.io'])
  })

  it('a class instance observer keeps `this`; a class passed as such is made once; other methods are ignored', async () => {
    const observer = new MemberObserver()
    keep(Member.observe(observer))
    await Member.create({ email: 'inst@x.io' })
    expect(observer.seen).toEqual(['creating inst@x.io', 'saved inst@x.io'])
    MemberObserver.made = 0
    keep(Member.observe(MemberObserver))
    expect(MemberObserver.made).toBe(1)
    await Member.create({ email: 'cls@x.io' })
    expect(observer.seen).toEqual(['creating inst@x.io', 'saved inst@x.io', 'creating cls@x.io', 'saved cls@x.io'])
  })

  it('observers and on() listeners run in registration order; observe() returns one unsubscribe for all', async () => {
    keep(Member.on('creating', () => void log.push('on 1')))
    const stop = Member.observe({ creating: () => void log.push('observer'), created: () => void log.push('observer created') })
    keep(Member.on('creating', () => void log.push('on 2')))
    await Member.create({ email: 'reg@x.io' })
    expect(take()).toEqual(['on 1', 'observer', 'on 2', 'observer created'])
    stop()
    stop()
    await Member.create({ email: 'reg2@x.io' })
    expect(take()).toEqual(['on 1', 'on 2'])
  })

  it('an observer’s -ing method returning false cancels', async () => {
    keep(Note.observe({ creating: (note) => note.body !== 'refused' && undefined }))
    const refused = new Note().fill({ body: 'refused' })
    expect(await refused.save()).toBe(false)
    expect(await Note.create({ body: 'fine' })).toBeInstanceOf(Note)
    expect((await rowsOf(ctx.db, 'event_notes')).map((r) => r.body)).toEqual(['fine'])
  })

  it('Model.observe observes every model', async () => {
    keep(Model.observe({ created: (model) => void log.push(`created ${model.constructor.name}`) }))
    await Member.create({ email: 'all@x.io' })
    await Note.create({ body: 'all' })
    expect(take()).toEqual(['created Member', 'created Note'])
  })

  it('bad observers are refused with a message saying what is wrong', () => {
    expect(() => Member.observe({} as never)).toThrow(/no method named after a model event/)
    expect(() => Member.observe({ crated: () => {} } as never)).toThrow(QuarryError)
    expect(() => Member.observe({ created: 'yes' } as never)).toThrow(/"created" must be a method, got string/)
    expect(() => Member.observe(null as never)).toThrow(/observer object or class, got null/)
    expect(() => Member.observe((() => ({ created() {} })) as never)).toThrow(/got a plain function/)
  })

  it('afterCommit outside a transaction: the -ed methods run at once, before the operation resolves', async () => {
    keep(Member.observe(afterCommitObserver()))
    const member = await Member.create({ email: 'now@x.io' })
    expect(take()).toEqual(['ac:creating:now@x.io:after commit', 'ac:created:now@x.io:after commit', 'ac:saved:now@x.io:after commit'])
    await member.delete()
    await member.restore()
    await member.forceDelete()
    expect(take()).toEqual([
      'ac:deleted:now@x.io:after commit',
      'ac:updated:now@x.io:after commit', 'ac:saved:now@x.io:after commit', 'ac:restored:now@x.io:after commit',
      'ac:deleted:now@x.io:after commit', 'ac:forceDeleted:now@x.io:after commit',
    ])
  })

  it('afterCommit in a transaction: -ing at once, -ed only after the outermost commit, in order', async () => {
    keep(Member.observe(afterCommitObserver()))
    keep(Member.on('created', () => void log.push('plain created')))
    await ctx.db.transaction(async () => {
      const a = await Member.create({ email: 'a@x.io' })
      await ctx.db.transaction(async () => {
        await Member.create({ email: 'b@x.io' })
      })
      a.name = 'A'
      await a.save()
      expect(take()).toEqual(['ac:creating:a@x.io:in trx', 'plain created', 'ac:creating:b@x.io:in trx', 'plain created'])
    })
    expect(take()).toEqual([
      'ac:created:a@x.io:after commit', 'ac:saved:a@x.io:after commit',
      'ac:created:b@x.io:after commit', 'ac:saved:b@x.io:after commit',
      'ac:updated:a@x.io:after commit', 'ac:saved:a@x.io:after commit',
    ])
  })

  it('afterCommit never runs after a rollback', async () => {
    keep(Member.observe(afterCommitObserver()))
    await expect(ctx.db.transaction(async () => {
      await Member.create({ email: 'gone@x.io' })
      throw new Error('roll back')
    })).rejects.toThrow('roll back')
    expect(take()).toEqual(['ac:creating:gone@x.io:in trx'])
    expect(await rowsOf(ctx.db, 'event_members')).toEqual([])
  })

  it('a rolled-back savepoint drops the afterCommit handlers queued inside it; the others run', async () => {
    keep(Member.observe(afterCommitObserver()))
    await ctx.db.transaction(async () => {
      await Member.create({ email: 'outer@x.io' })
      await expect(ctx.db.transaction(async () => {
        await Member.create({ email: 'inner@x.io' })
        throw new Error('inner rolled back')
      })).rejects.toThrow('inner rolled back')
      await ctx.db.transaction(async () => {
        await Member.create({ email: 'kept@x.io' })
      })
    })
    expect(take().filter((e) => !e.includes(':creating:'))).toEqual([
      'ac:created:outer@x.io:after commit', 'ac:saved:outer@x.io:after commit',
      'ac:created:kept@x.io:after commit', 'ac:saved:kept@x.io:after commit',
    ])
    expect((await rowsOf(ctx.db, 'event_members')).map((r) => r.email)).toEqual(['outer@x.io', 'kept@x.io'])
  })

  it('an operation undone by a throwing listener drops its afterCommit handlers, in a transaction or not', async () => {
    keep(Member.observe(afterCommitObserver()))
    keep(Member.on('saved', (m) => {
      if (m.email.startsWith('bad')) throw new Error('refused')
    }))
    await expect(Member.create({ email: 'bad1@x.io' })).rejects.toThrow('refused')
    await ctx.db.transaction(async () => {
      await expect(Member.create({ email: 'bad2@x.io' })).rejects.toThrow('refused')
      await Member.create({ email: 'good@x.io' })
    })
    expect(take().filter((e) => !e.includes(':creating:'))).toEqual([
      'ac:created:good@x.io:after commit', 'ac:saved:good@x.io:after commit',
    ])
    expect((await rowsOf(ctx.db, 'event_members')).map((r) => r.email)).toEqual(['good@x.io'])
  })

  it('an afterCommit handler that throws after the commit: the error reaches the caller, the data stays', async () => {
    keep(Note.observe({ afterCommit: true, created: () => {
      throw new Error('mail server down')
    } }))
    await expect(ctx.db.transaction(() => Note.create({ body: 'committed' }))).rejects.toThrow('mail server down')
    await expect(Note.create({ body: 'autocommitted' })).rejects.toThrow('mail server down')
    expect((await rowsOf(ctx.db, 'event_notes')).map((r) => r.body)).toEqual(['committed', 'autocommitted'])
  })

  it('an afterCommit observer’s retrieved runs at once (reads are not deferred)', async () => {
    await Note.insert([{ body: 'r' }])
    keep(Note.observe({ afterCommit: true, retrieved: (n) => void log.push(`retrieved ${n.body}`) }))
    await ctx.db.transaction(async () => {
      await Note.all()
      expect(take()).toEqual(['retrieved r'])
    })
  })
})
