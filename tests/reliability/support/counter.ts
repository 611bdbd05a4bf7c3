// The counter the concurrency tests and their worker processes share: one row, incremented.
import { column, type Database, Model, table } from '../../../src/index.js'

@table('rel_counters')
export class Counter extends Model {
  @column.primary() declare id: number
  @column() declare name: string
  @column() declare hits: number
}

/** The counters table, made with knex directly so the test does not depend on the schema builder. */
export async function createCounters(db: Database): Promise<void> {
  await db.knex.schema.createTable('rel_counters', (t) => {
    t.increments('id')
    t.string('name').notNullable()
    t.integer('hits').notNullable()
  })
}

export type CounterMode = 'increment' | 'forUpdate'

/**
 * One unit of work on counter `id`: `increment()` on a loaded model (`set hits = hits + 1`), or a
 * transaction that reads the row with `forUpdate()`, adds one in JavaScript and saves.
 */
export async function bump(db: Database, mode: CounterMode, counter: Counter): Promise<void> {
  if (mode === 'increment') {
    await counter.increment('hits')
    return
  }
  // The counter's own class: tests bind a subclass per database.
  const Class = counter.constructor as typeof Counter
  await db.transaction(async () => {
    const locked = await Class.query().whereKey(counter.id).forUpdate().firstOrFail()
    locked.hits = locked.hits + 1
    await locked.save()
  })
}

/** The failures of settled promises, as `name: message` lines (empty when all succeeded). */
export function failures(settled: PromiseSettledResult<unknown>[]): string[] {
  return settled.flatMap((r) => (r.status === 'rejected' ? [`${(r.reason as Error)?.name}: ${(r.reason as Error)?.message}`] : []))
}
