import { expect, it } from 'vitest'
import { connect, type Database, type QueryEvent } from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'

/**
 * Read/write splitting without a replica server: the "replica" is a second pool on the same
 * database, so the rows agree and only the role in the query events tells the routes apart.
 */
forEachDialect('read/write routing', (ctx) => {
  async function open(sticky: boolean): Promise<{ db: Database; roles: QueryEvent[] }> {
    const node = ctx.target.dialect === 'sqlite' ? { filename: ctx.target.url.slice('sqlite:'.length) } : { url: ctx.target.url }
    const db = await connect({ connections: { default: { write: node, read: [node, node], sticky } } })
    await db.knex.schema.createTable(`items_${sticky ? 's' : 'n'}`, (t) => {
      t.increments('id')
      t.string('name')
    })
    const roles: QueryEvent[] = []
    db.on('query', (e) => roles.push(e))
    return { db, roles }
  }

  it('plain reads go to the replicas round-robin; writes, locks and transactions to the primary', async () => {
    const { db, roles } = await open(false)
    try {
      await db.table('items_n').insert({ name: 'a' })
      await db.table('items_n').select('*')
      await db.table('items_n').first()
      await db.table('items_n').where('id', 1).update({ name: 'b' })
      await db.transaction(async () => {
        await db.table('items_n').select('*')
      })
      const lockable = db.connection().dialect.supports.rowLocks
      if (lockable) await db.table('items_n').forUpdate().select('*')
      const byRole = roles.filter((e) => !/^(begin|commit|start)/i.test(e.sql)).map((e) => e.role)
      expect(byRole.slice(0, 5)).toEqual(['write', 'read', 'read', 'write', 'write'])
      if (lockable) expect(byRole[5]).toBe('write')
      expect(db.stats().default!.read).toHaveLength(2)
      const health = await db.healthCheck()
      expect(health.default!.replicas).toHaveLength(2)
      expect(health.default!.replicas!.every((r) => r.ok)).toBe(true)
    } finally {
      await db.close()
    }
  })

  it('sticky: after a write in a scope, that scope reads from the primary; other scopes do not', async () => {
    const { db, roles } = await open(true)
    try {
      const readRole = async () => {
        roles.length = 0
        await db.table('items_s').select('*')
        return roles[0]!.role
      }
      await db.scope(async () => {
        expect(await readRole()).toBe('read')
        await db.table('items_s').insert({ name: 'mine' })
        expect(await readRole()).toBe('write')
        await db.scope(async () => expect(await readRole()).toBe('read'))
      })
      await db.scope(async () => expect(await readRole()).toBe('read'))
      // Outside any scope nothing is sticky.
      await db.table('items_s').insert({ name: 'loose' })
      expect(await readRole()).toBe('read')
      // A committed transaction counts as a write.
      await db.scope(async () => {
        await db.transaction(async () => undefined)
        expect(await readRole()).toBe('write')
      })
    } finally {
      await db.close()
    }
  })
})
