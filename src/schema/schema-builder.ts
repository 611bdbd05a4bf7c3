import type { Knex } from 'knex'
import type { Connection } from '../connection/connection.js'
import { QuarryError } from '../errors/index.js'
import { TableBuilder } from './table-builder.js'

/** One SQL statement with its bound values. */
export interface Statement {
  sql: string
  bindings: readonly unknown[]
}

/** Where a dry run puts the statements it would have sent. */
export interface StatementSink {
  push(statement: Statement): void
}

type Row = Record<string, unknown>

interface CompiledQuery {
  sql: string
  bindings?: readonly unknown[]
  output?: unknown
  statementsProducer?: (pragma: undefined, connection: unknown) => Promise<Produced>
}

type Produced = { pre: string[]; sql: string[]; post: string[] }

/** Ends the savepoint a dry run replays its planned statements in. */
class ReplayDone extends Error {}

/**
 * `this.schema` in a migration: creates, changes and drops tables on one connection, inside the
 * migration's transaction when it has one. In a dry run, every change is compiled to SQL and
 * collected instead of sent; `hasTable`/`hasColumn` still read the real database.
 *
 * ```ts
 * await this.schema.createTable('teams', (t) => {
 *   t.id()
 *   t.string('name').unique()
 *   t.timestamps()
 * })
 * ```
 */
export class SchemaBuilder {
  constructor(
    readonly connection: Connection,
    private readonly dryRunSink?: StatementSink,
    /** In a dry run: the schema statements earlier migrations of the same run would have sent. */
    private readonly earlier: readonly Statement[] = [],
  ) {}

  /** In a dry run: what this builder would have sent so far. */
  private readonly planned: Statement[] = []

  /** True when changes are compiled and collected, not sent. */
  get dryRun(): boolean {
    return this.dryRunSink !== undefined
  }

  /** Creates a table: `createTable('users', (t) => { t.id(); t.string('email').unique() })`. */
  createTable(name: string, build: (t: TableBuilder) => void): Promise<void> {
    return this.run(this.knex().schema.createTable(name, (table) => this.build(table, name, build)))
  }

  /** Changes a table: `alterTable('users', (t) => { t.string('nickname').nullable() })`. */
  alterTable(name: string, build: (t: TableBuilder) => void): Promise<void> {
    return this.run(this.knex().schema.alterTable(name, (table) => this.build(table, name, build)))
  }

  /** Alias of `alterTable()`, as Eloquent's `Schema::table`. */
  table(name: string, build: (t: TableBuilder) => void): Promise<void> {
    return this.alterTable(name, build)
  }

  /** Drops a table; fails when it does not exist. */
  dropTable(name: string): Promise<void> {
    return this.run(this.knex().schema.dropTable(name))
  }

  /** Drops a table when it exists. */
  dropTableIfExists(name: string): Promise<void> {
    return this.run(this.knex().schema.dropTableIfExists(name))
  }

  renameTable(from: string, to: string): Promise<void> {
    // knex types renameTable as a promise; it is a builder like the others.
    return this.run(this.knex().schema.renameTable(from, to) as unknown as Knex.SchemaBuilder)
  }

  /** Whether the table exists (read from the database, in a dry run too). */
  async hasTable(name: string): Promise<boolean> {
    return Boolean(await this.knex().schema.hasTable(name))
  }

  /** Whether the table exists and has the column. */
  async hasColumn(table: string, column: string): Promise<boolean> {
    return Boolean(await this.knex().schema.hasColumn(table, column))
  }

  /**
   * Runs SQL the builder has no method for; `?` placeholders take `bindings`. Resolves to the
   * rows it returns (none in a dry run).
   * ```ts
   * await this.schema.raw('create index users_lower_email on users (lower(email))')
   * ```
   */
  async raw(sql: string, bindings: readonly unknown[] = []): Promise<Row[]> {
    if (this.dryRunSink) {
      this.plan({ sql, bindings })
      return []
    }
    return this.connection.raw(sql, bindings)
  }

  /** A statement a dry run would have sent: reported, and kept for a later replay. */
  private plan(statement: Statement): void {
    this.dryRunSink!.push(statement)
    this.planned.push(statement)
  }

  private knex(): Knex {
    return this.connection.current()
  }

  private build(knexTable: Knex.TableBuilder, name: string, build: (t: TableBuilder) => void): void {
    const result: unknown = build(new TableBuilder(knexTable, name, this.connection.dialect.columnTypes))
    if (result && typeof (result as PromiseLike<unknown>).then === 'function') {
      throw new QuarryError(`The callback given for table "${name}" must be synchronous: knex collects the columns before anything runs`)
    }
  }

  private async run(builder: Knex.SchemaBuilder): Promise<void> {
    if (!this.dryRunSink) {
      await builder
      return
    }
    for (const query of builder.toSQL() as unknown as CompiledQuery[]) await this.collect(query)
  }

  /**
   * Runs a statements producer (SQLite's table rebuild), which reads the table's definition from
   * the database. When an earlier migration of this dry run creates the table, it is not there:
   * the statements planned so far are replayed in a savepoint of the dry run's transaction, the
   * producer reads them, and the savepoint is rolled back, so the change is reported as it will run.
   */
  private async produce(producer: NonNullable<CompiledQuery['statementsProducer']>): Promise<Produced> {
    const run = async () => {
      const client = this.knex().client
      const connection = await client.acquireConnection()
      try {
        return await producer(undefined, connection)
      } finally {
        await client.releaseConnection(connection)
      }
    }
    try {
      return await run()
    } catch (error) {
      const replay = [...this.earlier, ...this.planned]
      if (!replay.length || !this.connection.currentTransaction() || !this.connection.dialect.supports.transactionalDdl) throw error
      let produced: Produced | undefined
      try {
        await this.connection.transaction(async () => {
          for (const statement of replay) {
            if (!statement.sql.startsWith('--')) await this.knex().raw(statement.sql, statement.bindings as Knex.RawBinding[])
          }
          produced = await run()
          throw new ReplayDone()
        })
      } catch (replayError) {
        if (!(replayError instanceof ReplayDone)) throw error
      }
      return produced!
    }
  }

  /** SQLite rebuilds a table for some changes; the statements depend on its current definition. */
  private async collect(query: CompiledQuery): Promise<void> {
    const sink = { push: (statement: Statement) => this.plan(statement) }
    const bindings = query.bindings ?? []
    if (query.statementsProducer) {
      const produced = await this.produce(query.statementsProducer)
      // The rebuild statements are complete SQL: the query's bindings are not theirs.
      for (const sql of [...produced.pre, ...produced.sql, ...produced.post]) sink.push({ sql, bindings: [] })
      return
    }
    sink.push({ sql: query.sql, bindings })
    if (query.output) sink.push({ sql: '-- then the table is rebuilt without it, from its current definition', bindings: [] })
  }
}
