import { QuarryError } from '../errors/index.js'
import { booleanCast, checkStoreAs, type ColumnCast, customCast, dateCastWith, dateTimeCastWith, decimalCast, jsonCast } from './casts.js'
import { columnSchema } from './column-schema.js'
import type {
  ColumnDefinition,
  ColumnType,
  ColumnOptions,
  ColumnRole,
  DateColumnOptions,
  DecimalOptions,
  KeyType,
  PrimaryOptions,
  SlugOptions,
} from './column-definition.js'
import { metadataOf } from './model-metadata.js'

/** A legacy (`experimentalDecorators`) property decorator. */
export type PropertyDecorator = (target: object, property: string | symbol) => void

interface Extra {
  cast?: ColumnCast
  primary?: boolean
  keyType?: KeyType
  role?: ColumnRole
  slug?: { from: readonly string[]; onUpdate: boolean }
  /** The column type the variant implies, for the migration generator. */
  implied?: ColumnType
  /** The variant makes the column nullable unless told otherwise (`deletedAt`). */
  nullable?: boolean
}

function decorator(variant: string, options: ColumnOptions | undefined, extra: Extra = {}): PropertyDecorator {
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new QuarryError(`@column${variant}() options must be an object`)
  }
  const explicitCast = options?.cast ? customCast(options.cast) : undefined
  const schema = columnSchema(`@column${variant}()`, options, extra.implied, extra.nullable)
  if (options?.columnName !== undefined && (typeof options.columnName !== 'string' || !options.columnName)) {
    throw new QuarryError(`@column${variant}({ columnName }) must be a non-empty string`)
  }
  return (target, property) => {
    if (typeof property !== 'string') throw new QuarryError(`@column${variant}() needs a string property name`)
    if (typeof target === 'function') throw new QuarryError(`@column${variant}() cannot decorate the static ${property}`)
    const definition: ColumnDefinition = {
      property,
      columnName: options?.columnName,
      hidden: options?.hidden ?? false,
      serializeAs: options?.serializeAs,
      cast: explicitCast ?? extra.cast,
      primary: extra.primary ?? false,
      keyType: extra.keyType,
      role: extra.role,
      slug: extra.slug,
      schema,
    }
    const meta = metadataOf((target as { constructor: abstract new () => object }).constructor)
    if (meta.isFinalized) throw new QuarryError(`${meta.name}.${property}: columns must be declared before the model is first used`)
    meta.definitions.set(property, definition)
  }
}

/**
 * Declares a column: `@column() declare email: string`. The property maps to its snake_case
 * column (`emailAddress` ↔ `email_address`) unless `columnName` says otherwise.
 */
function baseColumn(options?: ColumnOptions): PropertyDecorator {
  return decorator('', options)
}

/**
 * The column API: `@column()` and its typed variants. Each variant works from its own options
 * alone; decorator metadata (when the compiler emits it) only fills in casts for plain
 * `@column()` properties typed `Date` or `boolean`.
 */
export const column = Object.assign(baseColumn, {
  /**
   * A primary key column: `@column.primary() declare id: number` (auto-increment), or
   * `@column.primary({ type: 'uuid' }) declare id: string` (a UUIDv7 made on insert). Put it on
   * two or more properties for a composite key.
   */
  primary(options: PrimaryOptions = {}): PropertyDecorator {
    const type = options.type ?? 'increments'
    if (!['increments', 'uuid', 'assigned'].includes(type)) {
      throw new QuarryError(`@column.primary({ type }) must be 'increments', 'uuid' or 'assigned', not ${JSON.stringify(type)}`)
    }
    const { type: _key, columnType, ...rest } = options
    return decorator('.primary', { ...rest, ...(columnType !== undefined ? { type: columnType } : {}) }, { primary: true, keyType: type, ...(type === 'uuid' ? { implied: 'uuid' as const } : {}) })
  },
  /** JSON: objects and arrays in JavaScript, JSON text (or json/jsonb) in the database. */
  json(options?: ColumnOptions): PropertyDecorator {
    return decorator('.json', options, { cast: jsonCast, implied: 'json' })
  },
  /** A boolean, whether the database stores 0/1 or a native boolean. */
  boolean(options?: ColumnOptions): PropertyDecorator {
    return decorator('.boolean', options, { cast: booleanCast, implied: 'boolean' })
  },
  /**
   * A calendar date: a `Date` at UTC midnight in JavaScript, `YYYY-MM-DD` in the database
   * (`{ storeAs: 'epochMs' }`: the epoch milliseconds of that midnight).
   */
  date(options?: DateColumnOptions): PropertyDecorator {
    return decorator('.date', options, { cast: dateCastWith(checkStoreAs('.date', options?.storeAs)), implied: options?.storeAs ? 'bigInteger' : 'date' })
  },
  /**
   * A point in time: always a `Date` in JavaScript, to the millisecond. SQLite and libSQL store
   * it as UTC text `2026-01-02 10:00:00.123`; `{ storeAs: 'epochMs' }` keeps epoch milliseconds:
   * `@column.dateTime({ storeAs: 'epochMs' }) declare seenAt: Date`.
   */
  dateTime(options?: DateColumnOptions): PropertyDecorator {
    return decorator('.dateTime', options, { cast: dateTimeCastWith(checkStoreAs('.dateTime', options?.storeAs)), implied: options?.storeAs ? 'bigInteger' : 'dateTime' })
  },
  /** An exact decimal, as a string (`'12.50'`) unless `asNumber`. */
  decimal(options: DecimalOptions = {}): PropertyDecorator {
    return decorator('.decimal', options, { cast: decimalCast(options), implied: 'decimal' })
  },
  /** A URL slug made from another property on insert (`hello`, `hello-2`, …), unique in the table. */
  slug(options: SlugOptions): PropertyDecorator {
    const from = typeof options?.from === 'string' ? [options.from] : options?.from
    if (!Array.isArray(from) || !from.length || from.some((f) => typeof f !== 'string')) {
      throw new QuarryError('@column.slug({ from }) needs the property (or properties) to make the slug from')
    }
    return decorator('.slug', options, { slug: { from, onUpdate: options.onUpdate ?? false }, implied: 'string' })
  },
  /** Optimistic locking: starts at 1, goes up by one per update; saving a stale copy throws `StaleModelError`. */
  version(options?: ColumnOptions): PropertyDecorator {
    return decorator('.version', options, { role: 'version', implied: 'integer' })
  },
  /** Set when the row is inserted. */
  createdAt(options?: DateColumnOptions): PropertyDecorator {
    return decorator('.createdAt', options, { role: 'createdAt', cast: dateTimeCastWith(checkStoreAs('.createdAt', options?.storeAs)), implied: options?.storeAs ? 'bigInteger' : 'dateTime' })
  },
  /** Set when the row is inserted and on every update. */
  updatedAt(options?: DateColumnOptions): PropertyDecorator {
    return decorator('.updatedAt', options, { role: 'updatedAt', cast: dateTimeCastWith(checkStoreAs('.updatedAt', options?.storeAs)), implied: options?.storeAs ? 'bigInteger' : 'dateTime' })
  },
  /** Its presence turns soft deletes on: `delete()` sets it, queries leave such rows out. */
  deletedAt(options?: DateColumnOptions): PropertyDecorator {
    return decorator('.deletedAt', options, { role: 'deletedAt', cast: dateTimeCastWith(checkStoreAs('.deletedAt', options?.storeAs)), implied: options?.storeAs ? 'bigInteger' : 'dateTime', nullable: true })
  },
})
