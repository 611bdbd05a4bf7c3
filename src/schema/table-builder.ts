import type { Knex } from 'knex'
import pluralize from 'pluralize'
import type { ColumnTypes } from '../dialects/dialect.js'
import { QuarryError } from '../errors/index.js'
import { type CheckBindings, checkBindings } from './check-bindings.js'
import { ColumnBuilder, ForeignIdColumnBuilder, ForeignKeyBuilder } from './column-builder.js'

type Columns = string | readonly string[]
type DateOptions = Readonly<{ useTz?: boolean; precision?: number }>

/** Milliseconds: what a JavaScript `Date` holds, so a value read back equals the one written. */
const DATE_PRECISION = 3

/**
 * The `t` of `createTable('users', (t) => …)` and `alterTable`: knex's column types and index
 * methods, plus Eloquent's helpers (`id`, `foreignId().constrained()`, `morphs`, `timestamps`,
 * `softDeletes`). Types that differ per database come from the dialect. As in Eloquent, columns
 * are NOT NULL unless declared `nullable()` (knex's own default is the opposite).
 *
 * ```ts
 * await this.schema.createTable('posts', (t) => {
 *   t.id()
 *   t.foreignId('author_id').constrained('users').cascadeOnDelete()
 *   t.string('title')
 *   t.json('meta').nullable()
 *   t.timestamps()
 * })
 * ```
 */
export class TableBuilder {
  constructor(
    /** The knex table builder underneath: the escape hatch for anything not offered here. */
    readonly knexTable: Knex.TableBuilder,
    /** The table's name. */
    readonly tableName: string,
    private readonly types: ColumnTypes,
  ) {}

  /** An auto-incrementing big integer primary key, `id` unless named. */
  id(name = 'id'): ColumnBuilder {
    return this.bigIncrements(name)
  }

  increments(name = 'id', options?: { primaryKey?: boolean }): ColumnBuilder {
    return new ColumnBuilder(this.knexTable.increments(name, options), name)
  }

  bigIncrements(name = 'id', options?: { primaryKey?: boolean }): ColumnBuilder {
    return new ColumnBuilder(this.knexTable.bigIncrements(name, options), name)
  }

  integer(name: string, length?: number): ColumnBuilder {
    return this.column(this.knexTable.integer(name, length), name)
  }

  tinyint(name: string, length?: number): ColumnBuilder {
    return this.column(this.knexTable.tinyint(name, length), name)
  }

  smallint(name: string): ColumnBuilder {
    return this.column(this.knexTable.smallint(name), name)
  }

  mediumint(name: string): ColumnBuilder {
    return this.column(this.knexTable.mediumint(name), name)
  }

  bigInteger(name: string): ColumnBuilder {
    return this.column(this.knexTable.bigInteger(name), name)
  }

  bigint(name: string): ColumnBuilder {
    return this.bigInteger(name)
  }

  unsignedInteger(name: string): ColumnBuilder {
    return this.integer(name).unsigned()
  }

  unsignedBigInteger(name: string): ColumnBuilder {
    return this.bigInteger(name).unsigned()
  }

  /** `varchar(length)`, 255 unless given. */
  string(name: string, length?: number): ColumnBuilder {
    return this.column(this.knexTable.string(name, length), name)
  }

  /** Unbounded text; MySQL takes `textType` `'mediumtext'` or `'longtext'`. */
  text(name: string, textType?: string): ColumnBuilder {
    return this.column(this.knexTable.text(name, textType), name)
  }

  float(name: string, precision?: number, scale?: number): ColumnBuilder {
    return this.column(this.knexTable.float(name, precision, scale), name)
  }

  double(name: string, precision?: number, scale?: number): ColumnBuilder {
    return this.column(this.knexTable.double(name, precision, scale), name)
  }

  decimal(name: string, precision?: number | null, scale?: number): ColumnBuilder {
    return this.column(this.knexTable.decimal(name, precision, scale), name)
  }

  boolean(name: string): ColumnBuilder {
    return this.column(this.knexTable.boolean(name), name)
  }

  date(name: string): ColumnBuilder {
    return this.column(this.knexTable.date(name), name)
  }

  time(name: string): ColumnBuilder {
    return this.column(this.knexTable.time(name), name)
  }

  /**
   * A point in time, to the millisecond unless `precision` says otherwise: `timestamptz(3)` on
   * PostgreSQL, `datetime(3)` on MySQL (Quarry's connections write UTC), `datetime` on SQLite.
   */
  dateTime(name: string, options: DateOptions = {}): ColumnBuilder {
    return this.column(this.knexTable.dateTime(name, { precision: DATE_PRECISION, ...options }), name)
  }

  datetime(name: string, options?: DateOptions): ColumnBuilder {
    return this.dateTime(name, options)
  }

  /**
   * The same column as `dateTime()`. MySQL's own TIMESTAMP type (which stops in 2038 and, on
   * older servers, updates itself) is not used; `specificType(name, 'timestamp')` still can.
   */
  timestamp(name: string, options?: DateOptions): ColumnBuilder {
    return this.dateTime(name, options)
  }

  binary(name: string, length?: number): ColumnBuilder {
    return this.column(this.knexTable.binary(name, length), name)
  }

  /** A value from a fixed list: a check or native enum, as knex makes it per database. */
  enum(name: string, values: readonly Knex.Value[], options?: Knex.EnumOptions): ColumnBuilder {
    return this.column(this.knexTable.enum(name, values, options), name)
  }

  enu(name: string, values: readonly Knex.Value[], options?: Knex.EnumOptions): ColumnBuilder {
    return this.enum(name, values, options)
  }

  /** JSON: `jsonb` on PostgreSQL, `json` on MySQL, text on SQLite. */
  json(name: string): ColumnBuilder {
    return this.specificType(name, this.types.json)
  }

  /** The same column as `json()`. */
  jsonb(name: string): ColumnBuilder {
    return this.json(name)
  }

  /** A UUID: native `uuid` on PostgreSQL, `char(36)` on MySQL, text on SQLite. */
  uuid(name: string): ColumnBuilder {
    return this.specificType(name, this.types.uuid)
  }

  geometry(name: string): ColumnBuilder {
    return this.column(this.knexTable.geometry(name), name)
  }

  geography(name: string): ColumnBuilder {
    return this.column(this.knexTable.geography(name), name)
  }

  point(name: string): ColumnBuilder {
    return this.column(this.knexTable.point(name), name)
  }

  /** A column of a type written as SQL: `t.specificType('tags', 'text[]')`. */
  specificType(name: string, type: string): ColumnBuilder {
    return this.column(this.knexTable.specificType(name, type), name)
  }

  /**
   * An unsigned big integer meant to reference another table's `id`:
   * `t.foreignId('team_id').constrained().cascadeOnDelete()` points at `teams.id`.
   */
  foreignId(name: string): ForeignIdColumnBuilder {
    return new ForeignIdColumnBuilder(this.knexTable.bigInteger(name).unsigned().notNullable(), name, inferTable)
  }

  /** A UUID meant to reference another table's UUID key: `t.foreignUuid('post_id').constrained()`. */
  foreignUuid(name: string): ForeignIdColumnBuilder {
    return new ForeignIdColumnBuilder(this.knexTable.specificType(name, this.types.uuid).notNullable(), name, inferTable)
  }

  /** `<name>_type` and a big integer `<name>_id`, indexed together: the columns of a `morphTo`. */
  morphs(name: string, indexName?: string): void {
    this.addMorphs(name, 'bigint', false, indexName)
  }

  /** `morphs()` whose columns may be NULL. */
  nullableMorphs(name: string, indexName?: string): void {
    this.addMorphs(name, 'bigint', true, indexName)
  }

  /** `morphs()` with a UUID `<name>_id`, for parents keyed by UUID. */
  uuidMorphs(name: string, indexName?: string): void {
    this.addMorphs(name, 'uuid', false, indexName)
  }

  nullableUuidMorphs(name: string, indexName?: string): void {
    this.addMorphs(name, 'uuid', true, indexName)
  }

  private addMorphs(name: string, key: 'bigint' | 'uuid', nullable: boolean, indexName?: string): void {
    const type = this.string(`${name}_type`)
    const id = key === 'uuid' ? this.uuid(`${name}_id`) : this.unsignedBigInteger(`${name}_id`)
    if (nullable) {
      type.nullable()
      id.nullable()
    }
    this.index([`${name}_type`, `${name}_id`], indexName)
  }

  /** Nullable `created_at` and `updated_at`, to the millisecond. */
  timestamps(precision = DATE_PRECISION): void {
    this.dateTime('created_at', { precision }).nullable()
    this.dateTime('updated_at', { precision }).nullable()
  }

  /** The same columns as `timestamps()`. */
  nullableTimestamps(precision = DATE_PRECISION): void {
    this.timestamps(precision)
  }

  /** A nullable `deleted_at` (or `column`): its presence on a model turns soft deletes on. */
  softDeletes(column = 'deleted_at', precision = DATE_PRECISION): ColumnBuilder {
    return this.dateTime(column, { precision }).nullable()
  }

  dropColumn(name: string): this {
    this.knexTable.dropColumn(name)
    return this
  }

  dropColumns(...names: string[]): this {
    this.knexTable.dropColumns(...names)
    return this
  }

  renameColumn(from: string, to: string): this {
    this.knexTable.renameColumn(from, to)
    return this
  }

  dropTimestamps(): this {
    return this.dropColumns('created_at', 'updated_at')
  }

  dropSoftDeletes(column = 'deleted_at'): this {
    return this.dropColumn(column)
  }

  /** Drops the columns (and index) `morphs(name)` made. */
  dropMorphs(name: string, indexName?: string): this {
    this.knexTable.dropIndex([`${name}_type`, `${name}_id`], indexName)
    return this.dropColumns(`${name}_type`, `${name}_id`)
  }

  /** Drops the foreign key on `column`, then the column: the undo of `foreignId(column).constrained()`. */
  dropConstrainedForeignId(column: string): this {
    this.knexTable.dropForeign(column)
    return this.dropColumn(column)
  }

  /** A primary key over one or more columns. */
  primary(columns: Columns, constraintName?: string): this {
    this.knexTable.primary(list(columns), constraintName ? { constraintName } : undefined)
    return this
  }

  /** An index over one or more columns, named `<table>_<columns>_index` unless named. */
  index(columns: Columns, indexName?: string): this {
    this.knexTable.index(list(columns), indexName)
    return this
  }

  /** A unique index over one or more columns. */
  unique(columns: Columns, indexName?: string): this {
    this.knexTable.unique(list(columns), indexName ? { indexName } : undefined)
    return this
  }

  /** A foreign key over one or more columns: `t.foreign('team_id').references('teams.id')`. */
  foreign(columns: Columns, keyName?: string): { references(column: string | readonly string[]): ForeignKeyBuilder } {
    const knexTable = this.knexTable
    return {
      references(column) {
        const start = Array.isArray(columns)
          ? knexTable.foreign(columns as readonly string[], keyName).references(column as readonly string[])
          : knexTable.foreign(columns as string, keyName).references(column as string)
        return new ForeignKeyBuilder(start, columns, column)
      },
    }
  }

  dropForeign(columns: Columns, keyName?: string): this {
    this.knexTable.dropForeign(columns, keyName)
    return this
  }

  dropUnique(columns: Columns, indexName?: string): this {
    this.knexTable.dropUnique(list(columns), indexName)
    return this
  }

  dropIndex(columns: Columns, indexName?: string): this {
    this.knexTable.dropIndex(list(columns), indexName)
    return this
  }

  dropPrimary(constraintName?: string): this {
    this.knexTable.dropPrimary(constraintName)
    return this
  }

  /** Lets an existing column hold NULL. */
  setNullable(column: string): this {
    this.knexTable.setNullable(column)
    return this
  }

  /** Forbids NULL in an existing column. */
  dropNullable(column: string): this {
    this.knexTable.dropNullable(column)
    return this
  }

  /**
   * A check constraint, `??` for a column and `?` for a value, filled in order from an array or an
   * object: `t.check('?? <= ??', ['discount', 'price'])`, `t.check('?? >= 0', { price: 'price' })`;
   * knex's named form too: `t.check(':price: >= 0', { price: 'price' }, 'price_positive')`.
   */
  check(predicate: string, bindings?: CheckBindings, constraintName?: string): this {
    this.knexTable.check(predicate, checkBindings(predicate, bindings) as Record<string, unknown> | undefined, constraintName)
    return this
  }

  comment(text: string): this {
    this.knexTable.comment(text)
    return this
  }

  /** As in Eloquent, a column is NOT NULL unless declared `nullable()`. */
  private column(knexColumn: Knex.ColumnBuilder, name: string): ColumnBuilder {
    return new ColumnBuilder(knexColumn.notNullable(), name)
  }
}

function list(columns: Columns): string[] {
  return typeof columns === 'string' ? [columns] : [...columns]
}

/** `team_id` → `teams`, `category_id` → `categories`, as Eloquent's `constrained()` guesses. */
export function inferTable(column: string): string {
  const match = /^(.+)_id$/.exec(column)
  if (!match) {
    throw new QuarryError(
      `Cannot infer the referenced table from the column "${column}" (expected a name ending in _id); ` +
        `name it: constrained('teams')`,
    )
  }
  return pluralize(match[1]!)
}
