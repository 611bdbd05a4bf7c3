import { type QuarryError, UniqueViolationError } from '../../errors/index.js'
import type { ConstraintDetails } from '../../errors/index.js'
import type { RowLookup } from '../dialect.js'
import type { FailedStatement } from '../error-table.js'
import { writtenTable } from './mysql-errors.js'

interface IndexColumns {
  table: string
  columns: string[]
}

const DDL = /^\s*(create|alter|drop|rename|truncate)\b/i

/**
 * MariaDB names only the index in a duplicate-key error (`for key 'users_email_unique'`); this
 * finds its table and columns in `information_schema.statistics`. Index names are unique per
 * table only (every table has a `PRIMARY`), so the table the statement wrote to decides between
 * tables. Answers are cached per connection and forgotten when that connection runs DDL.
 */
export class MysqlIndexNames {
  private readonly cache = new Map<string, IndexColumns[]>()

  /** Forgets every answer after a statement that may have changed an index. */
  statementRan(sql: string): void {
    if (this.cache.size && DDL.test(sql)) this.cache.clear()
  }

  /** `error` with the table and columns its index stands for, where they can be found. */
  async complete(error: QuarryError, statement: FailedStatement | undefined, lookup: RowLookup): Promise<QuarryError> {
    if (!(error instanceof UniqueViolationError) || !error.constraint || error.columns) return error
    const candidates = await this.indexColumns(error.constraint, lookup)
    const table = error.table ?? (statement && writtenTable(statement.sql))
    const matching = table ? candidates.filter((c) => c.table === table) : candidates
    if (matching.length !== 1) return error
    const details: ConstraintDetails = { table: matching[0]!.table, columns: matching[0]!.columns, constraint: error.constraint }
    return new UniqueViolationError(details, { cause: error.cause })
  }

  private async indexColumns(index: string, lookup: RowLookup): Promise<IndexColumns[]> {
    const cached = this.cache.get(index)
    if (cached) return cached
    const rows = await lookup(
      'select table_name as t, column_name as c from information_schema.statistics ' +
        'where table_schema = database() and index_name = ? order by table_name, seq_in_index',
      [index],
    )
    const byTable = new Map<string, string[]>()
    for (const row of rows) {
      const table = String(row.t)
      byTable.set(table, [...(byTable.get(table) ?? []), String(row.c)])
    }
    const found = [...byTable].map(([table, columns]) => ({ table, columns }))
    this.cache.set(index, found)
    return found
  }
}
