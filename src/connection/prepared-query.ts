import { createHash } from 'node:crypto'
import type { Knex } from 'knex'

/** What knex's runner reads of a builder: the SQL to send, and a few hooks left empty here. */
interface RunnableQuery {
  readonly _method: string
  readonly _connection: undefined
  toSQL(): { method: string; sql: string; bindings: unknown[]; options: object }
  queryContext(): undefined
  emit(): void
}

const SLOT_PREFIX = '\u0000quarry-slot:'

/**
 * A query shape compiled by knex once and sent again with new values: `find(id)` becomes
 * `select * from "users" where "id" = ? limit 1` the first time, and every later call only binds
 * its key. The SQL still runs through knex's runner on the current transaction or the pool, so
 * query events, error translation, timeouts, read routing and retries are those of any query;
 * only knex's builder and compiler are skipped (about a quarter of a find by key on SQLite).
 * Where the dialect has `namedStatements` (PostgreSQL) and the connection's `preparedStatements`
 * is on (the default), the shape is also a named prepared statement, parsed and planned once per
 * connection, except inside a transaction: there a plan made stale by a schema change could not
 * be retried without aborting the transaction.
 *
 * The shape is built with placeholder values (`slot(0)`, `slot(1)`, …) where the values go.
 */
export class PreparedQuery {
  private constructor(
    readonly sql: string,
    readonly method: string,
    /** The prepared statement's name, where the dialect prepares named statements. */
    readonly name: string | undefined,
    private readonly template: readonly unknown[],
    private readonly slots: ReadonlyArray<readonly [position: number, slot: number]>,
  ) {}

  /** The value to pass when building the shape, marking where value `index` goes. */
  static slot(index: number): string {
    return `${SLOT_PREFIX}${index}`
  }

  /** Compiles `builder` (built with `slot()` values) into a reusable shape, named when `named`. */
  static from(builder: Knex.QueryBuilder, named: boolean): PreparedQuery {
    const compiled = builder.toSQL()
    const template = [...compiled.bindings]
    const slots: Array<[number, number]> = []
    template.forEach((value, position) => {
      if (typeof value === 'string' && value.startsWith(SLOT_PREFIX)) slots.push([position, Number(value.slice(SLOT_PREFIX.length))])
    })
    const name = named ? `quarry_${createHash('sha1').update(compiled.sql).digest('hex').slice(0, 20)}` : undefined
    return new PreparedQuery(compiled.sql, compiled.method, name, template, slots)
  }

  /** Runs the shape with `values` in its slots on `knex` (a transaction or the primary). */
  run(knex: Knex, values: readonly unknown[]): Promise<unknown> {
    const bindings = [...this.template]
    for (const [position, slot] of this.slots) bindings[position] = values[slot]
    const client = knex.client as Knex.Client & { transacting?: boolean; runner(builder: unknown): { run(): Promise<unknown> } }
    const options = this.name && !client.transacting ? { name: this.name } : {}
    const query: RunnableQuery = {
      _method: this.method,
      _connection: undefined,
      toSQL: () => ({ method: this.method, sql: this.sql, bindings, options }),
      queryContext: () => undefined,
      emit: () => {},
    }
    return client.runner(query).run()
  }
}

/**
 * Runs `sql` (with `?` placeholders, identifiers already quoted) and its `bindings` through
 * knex's runner, as `knex.raw(sql, bindings)` would, without knex's raw formatter: that walks
 * every placeholder with a callback, which for a bulk insert of 10,000 rows costs as much as
 * SQLite's own work. The bindings must be plain values (no `knex.raw()` or subqueries).
 */
export function runRawSql(knex: Knex, sql: string, bindings: unknown[]): Promise<unknown> {
  const client = knex.client as Knex.Client & { runner(builder: unknown): { run(): Promise<unknown> } }
  const query: RunnableQuery = {
    _method: 'raw',
    _connection: undefined,
    toSQL: () => ({ method: 'raw', sql, bindings, options: {} }),
    queryContext: () => undefined,
    emit: () => {},
  }
  return client.runner(query).run()
}
