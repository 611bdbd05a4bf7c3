import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { MigrationError } from '../errors/index.js'
import { Migration, type MigrationClass } from './migration.js'
import { type ScriptStatement, SqlScriptError, splitSqlScript, wantsNoTransaction } from './sql-script.js'

/** `001_create_users`, `20261122101500_create_users`, `2026_11_22_101500_create_users`. */
export const SQL_MIGRATION_NAME = /^\d+(?:_\d+)*_[A-Za-z0-9_]+$/

/**
 * The migration class behind an `NNN_name.up.sql` / `NNN_name.down.sql` pair: `up()` sends the
 * statements of the `.up.sql` file one by one, `down()` those of the `.down.sql` file. Both files
 * are read when the migration is loaded, so a file that cannot be split (an unterminated quote,
 * comment or dollar-quoted body) is a `MigrationError` before any statement is sent. A
 * `-- quarry:no-transaction` line in either file runs the pair outside a transaction.
 */
export async function loadSqlMigration(name: string, upFile: string, downFile: string): Promise<MigrationClass> {
  const [up, down] = await Promise.all([read(name, upFile), read(name, downFile)])
  const within = !wantsNoTransaction(up) && !wantsNoTransaction(down)
  return class SqlMigration extends Migration {
    override withinTransaction = within

    async up(): Promise<void> {
      await this.send(name, upFile, up)
    }

    async down(): Promise<void> {
      await this.send(name, downFile, down)
    }

    private async send(migration: string, file: string, text: string): Promise<void> {
      const dialect = this.connection.dialect
      for (const statement of split(migration, file, text, this)) {
        if (this.dryRun) {
          await this.schema.raw(statement.sql)
          continue
        }
        // No bindings: knex then leaves `?` alone, except where its client numbers them ($1 on PostgreSQL).
        const sql = dialect.script.escapeQuestionMarks ? statement.sql.replace(/\?/g, '\\?') : statement.sql
        await this.connection.current().raw(sql)
      }
    }
  }
}

async function read(name: string, file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8')
  } catch (error) {
    throw new MigrationError(`Could not read ${file} (migration ${name}): ${(error as Error).message}`, { migration: name }, { cause: error })
  }
}

function split(name: string, file: string, text: string, migration: Migration): ScriptStatement[] {
  try {
    return splitSqlScript(text, migration.connection.dialect.script)
  } catch (error) {
    if (!(error instanceof SqlScriptError)) throw error
    throw new MigrationError(
      `${basename(file)} (migration ${name}) cannot be split into statements: ${error.message}; nothing of it was sent`,
      { migration: name },
      { cause: error },
    )
  }
}
