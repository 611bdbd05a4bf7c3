// Type tests for db.schema introspection and Model.prune(), checked by `tsc --noEmit`.
import { expectTypeOf } from 'vitest'
import {
  type ColumnInfo,
  type Database,
  type ForeignKeyAction,
  type ForeignKeyInfo,
  type IndexInfo,
  Model,
  type ModelQuery,
  type NormalizedType,
  type TableInfo,
} from '../../src/index.js'

declare const db: Database

expectTypeOf(db.schema.getTables()).resolves.toEqualTypeOf<TableInfo[]>()
expectTypeOf(db.schema.getColumns('users')).resolves.toEqualTypeOf<ColumnInfo[]>()
expectTypeOf(db.schema.getIndexes('users')).resolves.toEqualTypeOf<IndexInfo[]>()
expectTypeOf(db.schema.getForeignKeys('posts')).resolves.toEqualTypeOf<ForeignKeyInfo[]>()
expectTypeOf(db.connection('other').schema.getViews()).resolves.toEqualTypeOf<string[]>()
expectTypeOf<ColumnInfo['type']>().toEqualTypeOf<NormalizedType>()
expectTypeOf<ColumnInfo['default']>().toEqualTypeOf<string | null>()
expectTypeOf<ForeignKeyInfo['onDelete']>().toEqualTypeOf<ForeignKeyAction>()
expectTypeOf<'json'>().toExtend<NormalizedType>()
// @ts-expect-error — not a normalised type name
expectTypeOf<'varchar'>().toExtend<NormalizedType>()

class Session extends Model {
  declare id: number
  static prunable = (q: ModelQuery<Session>) => q.where('id', '<', 10)
}
expectTypeOf(Session.prune()).resolves.toEqualTypeOf<number>()
expectTypeOf(Session.prune({ chunkSize: 100 })).resolves.toEqualTypeOf<number>()
// @ts-expect-error — chunkSize is a number
void Session.prune({ chunkSize: '100' })
