import { beforeAll, beforeEach, expect, it } from 'vitest'
import { column, Model, type ModelQuery, QuarryError, SchemaBuilder, table } from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'

const CUTOFF = new Date('2026-01-01T00:00:00Z')

@table('prune_sessions')
class Session extends Model {
  static prunable = (q: ModelQuery<Session>) => q.where('lastSeenAt', '<', CUTOFF)
  static pruned: number[] = []
  @column.primary() declare id: number
  @column.dateTime() declare lastSeenAt: Date
  pruning() {
    Session.pruned.push(this.id)
  }
}

@table('prune_logs')
class LogLine extends Model {
  static massPrunable = true
  static prunable = (q: ModelQuery<LogLine>) => q.where('level', 'debug')
  @column.primary() declare id: number
  @column() declare level: string
}

@table('prune_notes')
class Note extends Model {
  static prunable = (q: ModelQuery<Note>) => {
    q.where('body', 'old')
  }
  @column.primary() declare id: number
  @column() declare body: string
  @column.deletedAt() declare deletedAt: Date | null
}

@table('prune_logs')
class Unprunable extends Model {
  @column.primary() declare id: number
}

forEachDialect('Model.prune()', (ctx) => {
  const statements: string[] = []

  beforeAll(async () => {
    const schema = new SchemaBuilder(ctx.db.connection())
    await schema.createTable('prune_sessions', (t) => {
      t.increments('id')
      t.dateTime('last_seen_at')
    })
    await schema.createTable('prune_logs', (t) => {
      t.increments('id')
      t.string('level')
    })
    await schema.createTable('prune_notes', (t) => {
      t.increments('id')
      t.string('body')
      t.dateTime('deleted_at').nullable()
    })
    ctx.db.on('query', (e) => statements.push(e.sql))
  })

  beforeEach(async () => {
    for (const name of ['prune_sessions', 'prune_logs', 'prune_notes']) await ctx.db.table(name).delete()
    Session.pruned = []
    statements.length = 0
  })

  it('deletes each matching model through the model, pruning() and events included, in bounded chunks', async () => {
    const old = new Date('2025-06-01T00:00:00Z')
    const recent = new Date('2026-06-01T00:00:00Z')
    await Session.insert(Array.from({ length: 25 }, (_, i) => ({ lastSeenAt: i % 5 === 0 ? recent : old })))
    const deleted: number[] = []
    const off = Session.on('deleted', (s) => void deleted.push(s.id))
    try {
      statements.length = 0
      expect(await Session.prune({ chunkSize: 7 })).toBe(20)
    } finally {
      off()
    }
    const sent = [...statements]
    expect(deleted).toHaveLength(20)
    expect(Session.pruned.sort((a, b) => a - b)).toEqual(deleted.sort((a, b) => a - b))
    expect((await Session.all()).map((s) => s.lastSeenAt.getTime())).toEqual(Array(5).fill(recent.getTime()))
    // Every read is bounded by the chunk size: 20 rows in 7s → 3 reads, plus one delete per model.
    const reads = sent.filter((s) => /^select/i.test(s))
    expect(reads).toHaveLength(3)
    for (const read of reads) expect(read).toMatch(/limit (\?|\$\d|7)/i)
    expect(sent.filter((s) => /^delete/i.test(s))).toHaveLength(20)
  })

  it('a cancelled delete keeps its row and is not counted; the walk still ends', async () => {
    await Session.insert(Array.from({ length: 6 }, () => ({ lastSeenAt: new Date('2025-01-01T00:00:00Z') })))
    const off = Session.on('deleting', (s) => (s.id % 2 === 0 ? false : undefined))
    try {
      expect(await Session.prune({ chunkSize: 2 })).toBe(3)
    } finally {
      off()
    }
    expect(await Session.query().count()).toBe(3)
  })

  it('massPrunable: one bounded DELETE per chunk, no events', async () => {
    await LogLine.insert(Array.from({ length: 2500 }, (_, i) => ({ level: i % 2 ? 'debug' : 'error' })))
    let events = 0
    const off = LogLine.on('deleting', () => void events++)
    try {
      statements.length = 0
      expect(await LogLine.prune()).toBe(1250)
    } finally {
      off()
    }
    expect(events).toBe(0)
    const deletes = statements.filter((s) => /^delete/i.test(s))
    expect(deletes).toHaveLength(2)
    expect(await LogLine.query().where('level', 'debug').count()).toBe(0)
    expect(await LogLine.query().count()).toBe(1250)
    expect(await LogLine.prune()).toBe(0)
  })

  it('a soft-deleting model is force-deleted, trashed rows included', async () => {
    const kept = await Note.create({ body: 'new' })
    const old = await Note.create({ body: 'old' })
    const trashed = await Note.create({ body: 'old' })
    await trashed.delete()
    expect(await Note.prune()).toBe(2)
    expect((await ctx.db.table('prune_notes').select('id')).map((r) => Number(r.id))).toEqual([kept.id])
    expect(old.id).not.toBe(kept.id)
  })

  it('refuses a model that is not prunable and a bad chunk size, before any SQL', async () => {
    statements.length = 0
    await expect(Unprunable.prune()).rejects.toThrow(QuarryError)
    await expect(Unprunable.prune()).rejects.toThrow("Unprunable is not prunable: declare static prunable = (q) => q.where('createdAt', '<', cutoff)")
    await expect(Session.prune({ chunkSize: 0 })).rejects.toThrow('Session.prune(): chunkSize must be a whole number of at least 1, got 0')
    expect(statements).toEqual([])
  })
})
