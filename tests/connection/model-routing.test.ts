import { afterAll, beforeAll, expect, it } from 'vitest'
import { column, connect, type Database, Model, type QueryEvent, table } from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'

@table('routed_notes')
class Note extends Model {
  @column.primary() declare id: number
  @column() declare body: string
}

/**
 * Read/write routing through the model API: model reads, counts and pages go to a replica;
 * creates, updates, locks, onWriter() and transactions go to the primary. The replicas are
 * further pools on the same database, so only the role in the query events tells them apart.
 */
forEachDialect('routing of model queries', (ctx) => {
  let db: Database
  const events: QueryEvent[] = []
  const roles = async (fn: () => Promise<unknown>) => {
    events.length = 0
    await fn()
    return events.filter((e) => !/^(begin|commit|start|savepoint|release)/i.test(e.sql)).map((e) => e.role)
  }

  beforeAll(async () => {
    await ctx.db.close()
    const node = ctx.dialect === 'sqlite' ? { filename: ctx.target.url.slice('sqlite:'.length) } : { url: ctx.target.url }
    db = await connect({ connections: { default: { write: node, read: [node], sticky: true } } })
    await db.knex.schema.createTable('routed_notes', (t) => {
      t.increments('id')
      t.string('body')
    })
    db.on('query', (e) => events.push(e))
  })
  afterAll(() => db.close())

  it('model reads, counts and pages go to the replica; writes to the primary', async () => {
    expect(await roles(() => Note.create({ body: 'first' }))).toEqual(['write'])
    expect(await roles(() => Note.query().where('body', 'first'))).toEqual(['read'])
    expect(await roles(() => Note.find(1))).toEqual(['read'])
    expect(await roles(() => Note.query().count())).toEqual(['read'])
    expect(await roles(() => Note.query().orderBy('id').paginate(1, 10))).toEqual(['read', 'read'])
    expect(await roles(() => Note.query().where('id', 1).update({ body: 'changed' }))).toEqual(['write'])
  })

  it('locking reads, onWriter() and everything in a transaction go to the primary', async () => {
    expect(await roles(() => Note.query().onWriter().first())).toEqual(['write'])
    expect(await roles(() => db.transaction(() => Note.query().first()))).toEqual(['write'])
    if (db.connection().dialect.supports.rowLocks) {
      expect(await roles(() => db.transaction(() => Note.query().forUpdate().first()))).toEqual(['write'])
      expect(await roles(() => Note.query().forShare().first())).toEqual(['write'])
    }
  })

  it('sticky: a model write in a scope sends the scope\'s later model reads to the primary', async () => {
    await db.scope(async () => {
      expect(await roles(() => Note.query().first())).toEqual(['read'])
      await Note.create({ body: 'mine' })
      expect(await roles(() => Note.query().where('body', 'mine').first())).toEqual(['write'])
    })
  })
})
