import type { Cast, ColumnCast } from './casts.js'

/** The column types a model may declare for the migration generator (§13). */
export type ColumnType =
  | 'string' | 'text' | 'integer' | 'bigInteger' | 'float' | 'double' | 'decimal' | 'boolean'
  | 'date' | 'dateTime' | 'time' | 'json' | 'uuid' | 'binary' | 'enum'

/** What a column declaration says about the table, read by `quarry migrate:generate` only. */
export interface ColumnSchemaOptions {
  /** The column's type; the typed variants imply theirs, and decorator metadata fills a plain `@column()`. */
  type?: ColumnType
  /** Characters of a `string` (default 255), bytes of a `binary`. */
  length?: number
  /** Digits of a `decimal` (default 8), fractional-second digits of a `dateTime`. */
  precision?: number
  /** Digits after the point of a `decimal` (default 2). */
  scale?: number
  /** May hold NULL (default: NOT NULL). */
  nullable?: boolean
  /** The value the database stores when an insert leaves the column out (a string, number, boolean or null). */
  default?: unknown
  /** A unique index on this column alone. */
  unique?: boolean
  /** A plain index on this column alone. */
  index?: boolean
  /** The allowed values of an `enum`. */
  values?: readonly string[]
}

/** Options every `@column` variant takes. */
export interface ColumnOptions extends ColumnSchemaOptions {
  /** The column's name in the table; default: the property in snake_case. */
  columnName?: string
  /** Left out of `toJSON()` / `serialize()`. */
  hidden?: boolean
  /** The key in `toJSON()` (default: the property name); `null` leaves the column out. */
  serializeAs?: string | null
  /** A custom conversion: `get` on read, `set` on write. */
  cast?: Cast
}

/** Options of the date variants (`column.date`, `column.dateTime`, `createdAt`, `updatedAt`, `deletedAt`). */
export interface DateColumnOptions extends ColumnOptions {
  /**
   * `'epochMs'`: the column holds epoch milliseconds (a number) on every dialect, as databases
   * made by some tools do (Prisma's SQLite schemas); every number in it is read as milliseconds.
   * Left out: the dialect's own form (ISO-8601 UTC text `YYYY-MM-DD HH:MM:SS.SSS` on SQLite and
   * libSQL, the native date types elsewhere).
   */
  storeAs?: 'epochMs'
}

/** How a primary key gets its value. */
export type KeyType = 'increments' | 'uuid' | 'assigned'

export interface PrimaryOptions extends Omit<ColumnOptions, 'type'> {
  /** `increments` (default): the database assigns it; `uuid`: a UUIDv7 made on insert; `assigned`: the app sets it. */
  type?: KeyType
  /** The column type of an `assigned` key, for the migration generator (`increments` and `uuid` imply theirs). */
  columnType?: ColumnType
}

export interface SlugOptions extends ColumnOptions {
  /** The property (or properties, joined by spaces) the slug is made from. */
  from: string | string[]
  /** Make the slug again when the source changes on update (default: keep the first one, so links keep working). */
  onUpdate?: boolean
}

export interface DecimalOptions extends ColumnOptions {
  /** Digits after the point, used to format numbers a driver returns (SQLite): `'12.50'`. */
  scale?: number
  /** Read as a JavaScript number instead of an exact string. */
  asNumber?: boolean
}

/** The role a column plays in the model's lifecycle. */
export type ColumnRole = 'createdAt' | 'updatedAt' | 'deletedAt' | 'version'

/** What a `@column` decorator recorded about one property. */
export interface ColumnDefinition {
  readonly property: string
  readonly columnName: string | undefined
  readonly hidden: boolean
  readonly serializeAs: string | null | undefined
  /** The cast given explicitly (by a variant or `cast`), if any. */
  readonly cast: ColumnCast | undefined
  readonly primary: boolean
  readonly keyType: KeyType | undefined
  readonly role: ColumnRole | undefined
  readonly slug: { readonly from: readonly string[]; readonly onUpdate: boolean } | undefined
  /** What the declaration says about the table (explicit options, and the type its variant implies). */
  readonly schema?: ColumnSchema
}

/** The schema half of a column declaration, as the migration generator reads it. */
export interface ColumnSchema extends ColumnSchemaOptions {
  /** The type the variant implies (`column.boolean` → boolean), used when `type` is not given. */
  readonly implied?: ColumnType
}

/** A column of a finalised model: its definition with the names and cast settled. */
export interface ModelColumn extends ColumnDefinition {
  /** The name in the table. */
  readonly column: string
  /** The key in `toJSON()`, or `null` when left out. */
  readonly serializedKey: string | null
  /** The cast in effect (explicit, or inferred from decorator metadata). */
  readonly effectiveCast: ColumnCast | undefined
}
