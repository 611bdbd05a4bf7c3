import { expect, it } from 'vitest'
import { connect, type Database, SerializationFailureError, UniqueViolationError } from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'

/**
 * No CockroachDB server is available here. CockroachDB speaks PostgreSQL's wire protocol, so the
 * `cockroachdb` driver (knex's CockroachDB client + Quarry's CockroachDB dialect) is exercised
 * against PostgreSQL for everything the two share: connecting, transactions and savepoints,
 * retries on 40001, and error translation. What only a real CockroachDB shows (unique_rowid ids,
 * its own retry frequency) is listed in docs/scaling.md as not run.
 */
forEachDialect('the cockroachdb driver over the PostgreSQL wire protocol', (ctx) => {
  const open = (): Promise<Database> => connect({ driver: 'cockroachdb', url: ctx.target.url })

  it('connects through a postgres:// URL and reports its own capabilities', async () => {
    const db = await open()
    try {
      expect(db.connection().config.driver).toBe('cockroachdb')
      expect(db.connection().dialect.name).toBe('cockroachdb')
      expect(db.connection().dialect.supports.advisoryLocks).toBe(false)
      expect(db.connection().dialect.supports.transactionalDdl).toBe(true)
      expect(await db.raw('select 1 as one')).toEqual([{ one: 1 }])
    } finally {
      await db.close()
    }
  })

  it('runs transactions with savepoints and translates constraint errors', async () => {
    const db = await open()
    try {
      await db.knex.schema.createTable('roach_items', (t) => {
        t.increments('id')
        t.string('sku').unique()
      })
      await db.transaction(async () => {
        await db.table('roach_items').insert({ sku: 'a' })
        await db.transaction(async () => {
          await db.table('roach_items').insert({ sku: 'b' })
          throw new Error('undo b')
        }).catch(() => undefined)
      })
      expect((await db.table<{ sku: string }>('roach_items').select('sku')).map((r) => r.sku)).toEqual(['a'])
      await expect(db.table('roach_items').insert({ sku: 'a' })).rejects.toBeInstanceOf(UniqueViolationError)
    } finally {
      await db.close()
    }
  })

  it('retries a transaction that fails with SQLSTATE 40001', async () => {
    const db = await open()
    try {
      let attempts = 0
      const result = await db.transaction(
        async () => {
          attempts++
          if (attempts < 3) {
            // Raise a genuine serialization failure from the server.
            await db.raw("do $$ begin raise exception using errcode = '40001', message = 'restart transaction'; end $$")
          }
          return 'committed'
        },
        { isolationLevel: 'serializable', retries: 3 },
      )
      expect(result).toBe('committed')
      expect(attempts).toBe(3)
      const error = await db
        .transaction(() => db.raw("do $$ begin raise exception using errcode = '40001'; end $$"), { retries: 0 })
        .catch((e: unknown) => e)
      expect(error).toBeInstanceOf(SerializationFailureError)
    } finally {
      await db.close()
    }
  })
}, { only: ['postgres'], because: 'the CockroachDB driver is exercised over the PostgreSQL wire' })
