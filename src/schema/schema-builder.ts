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
  statementsProducer?: (pragma: undefined, connection: unknown) => Promise<{ pre: string[]; sql: string[]; post: string[] }>
}

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
  ) {}

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
      this.dryRunSink.push({ sql, bindings })
      return []
    }
    return this.connection.raw(sql, bindings)
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

  /** SQLite rebuilds a table for some changes; the statements depend on its current definition. */
  private async collect(query: CompiledQuery): Promise<void> {
    const sink = this.dryRunSink!
    const bindings = query.bindings ?? []
    if (query.statementsProducer) {
      const client = this.knex().client
      const connection = await client.acquireConnection()
      try {
        const produced = await query.statementsProducer(undefined, connection)
        for (const sql of [...produced.pre, ...produced.sql, ...produced.post]) sink.push({ sql, bindings })
      } finally {
        await client.releaseConnection(connection)
      }
      return
    }
    sink.push({ sql: query.sql, bindings })
    if (query.output) sink.push({ sql: '-- then the table is rebuilt without it, from its current definition', bindings: [] })
  }
}
