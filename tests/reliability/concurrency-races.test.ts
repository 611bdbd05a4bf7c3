import { afterAll, beforeAll, expect, it } from 'vitest'
import { column, connect, type Database, Model, StaleModelError, table } from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'
import { failures } from './support/counter.js'

/**
 * Races on one row: optimistic locking lets exactly one writer win per version and tells every
 * loser, so no update is lost; firstOrCreate, updateOrCreate and slug generation leave one row
 * (or distinct slugs) with no UniqueViolationError escaping, alone or inside transactions.
 */

@table('rel_notes')
class Note extends Model {
  @column.primary() declare id: number
  @column() declare body: string
  @column.version() declare version: number
}

@table('rel_members')
class Member extends Model {
  @column.primary() declare id: number
  @column() declare email: string
  @column() declare name: string
}

@table('rel_articles')
class Article extends Model {
  @column.primary() declare id: number
  @column() declare title: string
  @column.slug({ from: 'title' }) declare slug: string
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i)
const LONG = { timeout: 120_000 }
/**
 * Inside a transaction, InnoDB may pick one of two inserts racing for the same unique key as a
 * deadlock victim and roll its whole transaction back; only re-running the transaction can
 * recover from that, which is what `retries` is for.
 */
const RETRIES = { retries: 10 }

forEachDialect('concurrency: races on one row', (ctx) => {
  let db: Database

  beforeAll(async () => {
    await ctx.db.knex.schema.createTable('rel_notes', (t) => {
      t.increments('id')
      t.text('body').notNullable()
      t.integer('version').notNullable()
    })
    await ctx.db.knex.schema.createTable('rel_members', (t) => {
      t.increments('id')
      t.string('email').notNullable().unique()
      t.string('name').notNullable()
    })
    await ctx.db.knex.schema.createTable('rel_articles', (t) => {
      t.increments('id')
      t.string('title').notNullable()
      t.string('slug').notNullable().unique()
    })
    db = await connect(ctx.target.config({ pool: { min: 0, max: 10, acquireTimeoutMs: 120_000 } }))
    for (const Class of [Note, Member, Article]) Class.useConnection(db.connection())
  })

  afterAll(async () => {
    await db?.close()
  })

  it('optimistic locking: 50 racers on one row, one winner per version, every loser told, no update lost', LONG, async () => {
    const note = await Note.create({ body: '' })
    // Round one: all fifty hold version 1, then all save at once.
    const copies = await Promise.all(range(50).map(() => Note.findOrFail(note.id)))
    const first = await Promise.allSettled(copies.map((copy, w) => {
      copy.body = `[${w}]`
      return copy.save()
    }))
    const winners = first.filter((r) => r.status === 'fulfilled')
    const losers = first.filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    expect(winners).toHaveLength(1)
    expect(losers).toHaveLength(49)
    for (const loser of losers) expect(loser.reason).toBeInstanceOf(StaleModelError)
    const afterRound = await ctx.db.table('rel_notes').where('id', note.id).first()
    expect(Number(afterRound!.version)).toBe(2)
    const winner = copies.findIndex((c) => c.version === 2)
    expect(afterRound!.body).toBe(`[${winner}]`)

    // Then every one of them appends its mark, retrying after each StaleModelError.
    await ctx.db.table('rel_notes').where('id', note.id).update({ body: '', version: 1 })
    const versionsWon: number[] = []
    let stale = 0
    await Promise.all(range(50).map(async (w) => {
      for (let attempt = 0; attempt < 200; attempt++) {
        const mine = await Note.findOrFail(note.id)
        mine.body = `${mine.body}[${w}]`
        try {
          await mine.save()
          versionsWon.push(mine.version)
          return
        } catch (error) {
          if (!(error instanceof StaleModelError)) throw error
          stale++
        }
      }
      throw new Error(`racer ${w} never won`)
    }))
    const row = await ctx.db.table('rel_notes').where('id', note.id).first()
    const marks = String(row!.body).match(/\[\d+\]/g) ?? []
    expect(marks.slice().sort()).toEqual(range(50).map((w) => `[${w}]`).sort())
    expect(Number(row!.version)).toBe(51)
    expect(versionsWon.sort((a, b) => a - b)).toEqual(range(50).map((i) => i + 2))
    expect(stale).toBeGreaterThan(0)
    console.log(`[reliability] ${ctx.dialect}: optimistic locking, 50 writes won, ${stale + 49} StaleModelErrors`)
  })

  it('firstOrCreate: 50 concurrent callers for one key, alone or each in a transaction, get the one row', LONG, async () => {
    for (const inTransaction of [false, true]) {
      const email = `first-${inTransaction}@example.com`
      const call = (i: number) => Member.firstOrCreate({ email }, { name: `caller ${i}` })
      const settled = await Promise.allSettled(range(50).map((i) => (inTransaction ? db.transaction(() => call(i), RETRIES) : call(i))))
      expect(failures(settled)).toEqual([])
      const ids = new Set(settled.map((r) => (r as PromiseFulfilledResult<Member>).value.id))
      expect(ids.size).toBe(1)
      expect(Number((await ctx.db.table('rel_members').where('email', email).count({ n: '*' }))[0]!.n)).toBe(1)
    }
  })

  it('updateOrCreate: 50 concurrent callers for one key, alone or each in a transaction, leave one row holding one of their values', LONG, async () => {
    for (const inTransaction of [false, true]) {
      const email = `update-${inTransaction}@example.com`
      const call = (i: number) => Member.updateOrCreate({ email }, { name: `caller ${i}` })
      const settled = await Promise.allSettled(range(50).map((i) => (inTransaction ? db.transaction(() => call(i), RETRIES) : call(i))))
      expect(failures(settled)).toEqual([])
      const rows = await ctx.db.table('rel_members').where('email', email)
      expect(rows).toHaveLength(1)
      expect(range(50).map((i) => `caller ${i}`)).toContain(rows[0]!.name)
      const ids = new Set(settled.map((r) => (r as PromiseFulfilledResult<Member>).value.id))
      expect([...ids]).toEqual([rows[0]!.id])
    }
  })

  it('slugs: 50 concurrent creates of one title, alone or each in a transaction, get 50 distinct slugs', LONG, async () => {
    for (const [title, inTransaction] of [['Same title', false], ['Other title', true]] as const) {
      const create = () => Article.create({ title })
      const settled = await Promise.allSettled(range(50).map(() => (inTransaction ? db.transaction(create, RETRIES) : create())))
      expect(failures(settled)).toEqual([])
      const base = title.toLowerCase().replace(' ', '-')
      const slugs = (await ctx.db.table('rel_articles').where('title', title).select('slug')).map((r) => String(r.slug))
      expect(slugs).toHaveLength(50)
      expect(new Set(slugs).size).toBe(50)
      expect(slugs).toContain(base)
      for (const s of slugs) expect(s).toMatch(new RegExp(`^${base}(-\\d+)?$`))
      expect(new Set(settled.map((r) => (r as PromiseFulfilledResult<Article>).value.slug))).toEqual(new Set(slugs))
    }
  })
})
