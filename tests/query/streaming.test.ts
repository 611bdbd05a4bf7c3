import { beforeAll, expect, it } from 'vitest'
import { column, Model, table } from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'

@table('big_numbers')
class BigNumber extends Model {
  @column.primary() declare id: number
  @column() declare n: number
  @column() declare label: string
}

const ROWS = 1_000_000

forEachDialect('cursor() over a million rows', (ctx) => {
  beforeAll(async () => {
    const knex = ctx.db.knex
    await knex.schema.createTable('digits', (t) => t.integer('d').notNullable())
    await knex('digits').insert(Array.from({ length: 10 }, (_, d) => ({ d })))
    await knex.schema.createTable('big_numbers', (t) => {
      t.increments('id')
      t.integer('n').notNullable()
      t.string('label', 40).notNullable()
    })
    // A million rows from a six-way cross join of the digits: plain SQL every database runs.
    await ctx.db.raw(
      `insert into big_numbers (n, label)
       select a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d + 100000 * g.d, 'row of a million'
       from digits a, digits b, digits c, digits e, digits f, digits g`,
    )
  }, 600_000)

  it('streams every row with a flat heap', async () => {
    const samples: number[] = []
    let count = 0
    let sum = 0
    const start = process.memoryUsage().heapUsed
    for await (const row of BigNumber.query().cursor({ batchSize: 2000 })) {
      count++
      sum += row.n
      if (count % 20_000 === 0) samples.push(process.memoryUsage().heapUsed)
    }
    expect(count).toBe(ROWS)
    expect(sum).toBe((ROWS * (ROWS - 1)) / 2)
    // A million models held at once would take hundreds of MB; batches keep it to a few.
    const peak = Math.max(...samples)
    expect(peak - start).toBeLessThan(96 * 1024 * 1024)
    const [early, late] = [samples.slice(5, 15), samples.slice(-10)].map((s) => s.reduce((a, b) => a + b, 0) / s.length)
    expect(late! - early!).toBeLessThan(48 * 1024 * 1024)
  }, 600_000)
})
