import type { Knex } from 'knex'
import { QuarryError } from '../errors/index.js'

type IndexOptions = NonNullable<Parameters<Knex.ColumnBuilder['index']>[1]>
type ConstraintOptions = Readonly<{ indexName?: string; constraintName?: string; deferrable?: Knex.deferrableType }>
/** What a foreign key does when the row it points at is deleted or its key updated. */
export type ReferentialAction = 'CASCADE' | 'SET NULL' | 'RESTRICT' | 'NO ACTION' | 'SET DEFAULT'

/**
 * One column being added or changed: knex's column modifiers, each returning the builder so
 * they chain. `default()` is an alias of `defaultTo()`.
 *
 * ```ts
 * t.string('email').notNullable().unique()
 * t.integer('version').default(1)
 * ```
 */
export class ColumnBuilder {
  constructor(
    /** The knex column builder underneath. */
    readonly knexColumn: Knex.ColumnBuilder,
    /** The column's name. */
    readonly name: string,
  ) {}

  /** The column may hold NULL. */
  nullable(): this {
    this.knexColumn.nullable()
    return this
  }

  /** The column may not hold NULL. */
  notNullable(): this {
    this.knexColumn.notNullable()
    return this
  }

  /** The value used when an insert gives none: `t.boolean('active').defaultTo(true)`. */
  defaultTo(value: Knex.Value | null): this {
    this.knexColumn.defaultTo(value)
    return this
  }

  /** Alias of `defaultTo()`: `t.integer('version').default(1)`. */
  default(value: Knex.Value | null): this {
    return this.defaultTo(value)
  }

  /** A unique index on this column alone. */
  unique(options: ConstraintOptions = {}): this {
    const { constraintName, ...rest } = options
    const knexOptions = { ...rest, ...(constraintName ? { indexName: constraintName } : {}) }
    // knex writes an empty constraint name when handed an empty options object.
    if (Object.keys(knexOptions).length) this.knexColumn.unique(knexOptions)
    else this.knexColumn.unique()
    return this
  }

  /** An index on this column alone. */
  index(indexName?: string, options?: IndexOptions): this {
    this.knexColumn.index(indexName, options)
    return this
  }

  /** This column is the table's primary key. */
  primary(options: Readonly<{ constraintName?: string; deferrable?: Knex.deferrableType }> = {}): this {
    if (Object.keys(options).length) this.knexColumn.primary(options)
    else this.knexColumn.primary()
    return this
  }

  /** MySQL's `unsigned`; other databases ignore it. */
  unsigned(): this {
    this.knexColumn.unsigned()
    return this
  }

  comment(text: string): this {
    this.knexColumn.comment(text)
    return this
  }

  collate(collation: string): this {
    this.knexColumn.collate(collation)
    return this
  }

  /** MySQL: place the column after another. */
  after(column: string): this {
    this.knexColumn.after(column)
    return this
  }

  /** MySQL: place the column first. */
  first(): this {
    this.knexColumn.first()
    return this
  }

  /** In `alterTable`: change this existing column to the definition given, instead of adding it. */
  change(options?: Readonly<{ alterNullable?: boolean; alterType?: boolean }>): this {
    this.knexColumn.alter(options)
    return this
  }

  /** knex's name for `change()`. */
  alter(options?: Readonly<{ alterNullable?: boolean; alterType?: boolean }>): this {
    return this.change(options)
  }

  checkPositive(constraintName?: string): this {
    this.knexColumn.checkPositive(constraintName)
    return this
  }

  checkNegative(constraintName?: string): this {
    this.knexColumn.checkNegative(constraintName)
    return this
  }

  checkIn(values: string[], constraintName?: string): this {
    this.knexColumn.checkIn(values, constraintName)
    return this
  }

  checkNotIn(values: string[], constraintName?: string): this {
    this.knexColumn.checkNotIn(values, constraintName)
    return this
  }

  checkBetween(values: unknown[] | unknown[][], constraintName?: string): this {
    this.knexColumn.checkBetween(values, constraintName)
    return this
  }

  checkLength(operator: Knex.lengthOperator, length: number, constraintName?: string): this {
    this.knexColumn.checkLength(operator, length, constraintName)
    return this
  }

  checkRegex(regex: string, constraintName?: string): this {
    this.knexColumn.checkRegex(regex, constraintName)
    return this
  }

  /**
   * A foreign key from this column to `column` of another table (`'teams.id'`, or `'id'` then
   * `inTable('teams')`).
   */
  references(column: string): ForeignKeyBuilder {
    return new ForeignKeyBuilder(this.knexColumn.references(column), this.name, column)
  }
}

/**
 * A column made by `foreignId()` / `foreignUuid()`: `constrained()` adds the foreign key, to the
 * table named after the column (`team_id` → `teams.id`) unless told otherwise.
 *
 * ```ts
 * t.foreignId('team_id').constrained().cascadeOnDelete()
 * t.foreignId('owner_id').nullable().constrained('users').nullOnDelete()
 * ```
 */
export class ForeignIdColumnBuilder extends ColumnBuilder {
  constructor(
    knexColumn: Knex.ColumnBuilder,
    name: string,
    private readonly guessTable: (column: string) => string,
  ) {
    super(knexColumn, name)
  }

  /** References `column` (default `id`) of `table` (default: inferred from the column's name). */
  constrained(table?: string, column = 'id', keyName?: string): ForeignKeyBuilder {
    const foreign = this.references(column).inTable(table ?? this.guessTable(this.name))
    return keyName ? foreign.withKeyName(keyName) : foreign
  }
}

/** A foreign key being declared: where it points and what happens on delete and update. */
export class ForeignKeyBuilder {
  private knexForeign: Knex.ReferencingColumnBuilder
  private table: string | undefined

  /** `references` is what knex's `references(column)` returned: `'teams.id'` names the table too. */
  constructor(
    references: Knex.ReferencingColumnBuilder,
    readonly column: string | readonly string[],
    referenced: string | readonly string[],
  ) {
    this.knexForeign = references
    this.table = typeof referenced === 'string' && referenced.includes('.') ? referenced.split('.')[0] : undefined
  }

  /** The table the key points at (when `references()` named only the column). */
  inTable(table: string): this {
    if (this.table !== undefined) throw new QuarryError(`The foreign key on ${String(this.column)} already points at ${this.table}`)
    this.knexForeign = this.knexForeign.inTable(table)
    this.table = table
    return this
  }

  /** Alias of `inTable()`, as Eloquent spells it. */
  on(table: string): this {
    return this.inTable(table)
  }

  /** The constraint's name (default `<table>_<column>_foreign`). */
  withKeyName(name: string): this {
    this.target().withKeyName(name)
    return this
  }

  onDelete(action: ReferentialAction): this {
    this.target().onDelete(action)
    return this
  }

  onUpdate(action: ReferentialAction): this {
    this.target().onUpdate(action)
    return this
  }

  /** Deleting the referenced row deletes this one. */
  cascadeOnDelete(): this {
    return this.onDelete('CASCADE')
  }

  /** Deleting the referenced row sets this column to NULL (declare the column `nullable()`). */
  nullOnDelete(): this {
    return this.onDelete('SET NULL')
  }

  /** Deleting a referenced row is refused while this one points at it. */
  restrictOnDelete(): this {
    return this.onDelete('RESTRICT')
  }

  noActionOnDelete(): this {
    return this.onDelete('NO ACTION')
  }

  cascadeOnUpdate(): this {
    return this.onUpdate('CASCADE')
  }

  restrictOnUpdate(): this {
    return this.onUpdate('RESTRICT')
  }

  /** PostgreSQL and SQLite: `deferrable initially deferred` and the like. */
  deferrable(type: Knex.deferrableType): this {
    this.target().deferrable(type)
    return this
  }

  private target(): Knex.ReferencingColumnBuilder {
    if (this.table === undefined) {
      throw new QuarryError(
        `The foreign key on ${String(this.column)} names no table: write references('teams.id') or add inTable('teams') first`,
      )
    }
    return this.knexForeign
  }
}
