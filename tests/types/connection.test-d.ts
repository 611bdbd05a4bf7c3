// Type tests for the connection API, checked by `tsc --noEmit` (part of `npm test`).
import { expectTypeOf } from 'vitest'
import {
  connect,
  type ConnectionHealth,
  type Database,
  type PoolStats,
  type QueryEvent,
  type Transaction,
} from '../../src/index.js'

declare const db: Database

expectTypeOf(connect).returns.resolves.toEqualTypeOf<Database>()
expectTypeOf(db.transaction(async () => 42)).resolves.toEqualTypeOf<number>()
expectTypeOf(db.scope(() => 'x')).resolves.toEqualTypeOf<string>()
expectTypeOf(db.raw<{ id: number }>('select 1 as id')).resolves.toEqualTypeOf<Array<{ id: number }>>()
expectTypeOf(db.on('query', (e) => expectTypeOf(e).toEqualTypeOf<QueryEvent>())).toEqualTypeOf<() => void>()
expectTypeOf(db.healthCheck()).resolves.toEqualTypeOf<Record<string, ConnectionHealth>>()
expectTypeOf(db.stats()).toEqualTypeOf<Record<string, { write: PoolStats; read?: PoolStats[] }>>()
void db.transaction(async (trx) => {
  expectTypeOf(trx).toEqualTypeOf<Transaction>()
  trx.afterCommit(() => undefined)
})

// @ts-expect-error: only 'query' events exist
db.on('queries', () => undefined)
// @ts-expect-error: an unknown isolation level
void db.transaction(async () => undefined, { isolationLevel: 'chaotic' })
// @ts-expect-error: the driver is one of five names
void connect({ driver: 'oracle', url: 'x' })
// @ts-expect-error: a misspelt option
void connect({ driver: 'sqlite', filename: ':memory:', poool: { max: 1 } })
// @ts-expect-error: pool sizes are numbers
void connect({ connections: { main: { driver: 'postgres', url: 'x', pool: { max: '10' } } } })
