import { createRequire } from 'node:module'
import type { ClientClass } from '../../connection/quarry-client.js'
import { PostgresDialect } from '../postgres/postgres-dialect.js'

const require = createRequire(import.meta.url)

/**
 * CockroachDB speaks PostgreSQL's wire protocol; it differs in having no advisory locks and in
 * raising serialization failures (40001) far more often, which `transaction(fn, { retries })`
 * absorbs.
 */
export class CockroachDialect extends PostgresDialect {
  override readonly name = 'cockroachdb' as const
  override readonly supports = { ...new PostgresDialect().supports, advisoryLocks: false, namedStatements: false }

  protected override knexClientBase(): ClientClass {
    return require('knex/lib/dialects/cockroachdb/index.js')
  }
}
