// Type-level only: how a query types the values it compares with a column, and what a column read
// back is. A query is given `V`, a map from the names it accepts for a column to the column's
// type (`{ age: number | null, email: string, … }`); a name missing from `V` (a qualified
// `table.column`, or any name on a query that knows no model) takes any bindable `Value`.
import type { Value } from './query-target.js'

declare const decimalBrand: unique symbol

/**
 * A decimal column's value: a string (exact, as the database returns it) that `sum` and `avg`
 * accept as numeric. Any string is assignable to it.
 *
 * ```ts
 * @column.decimal({ scale: 2 }) declare price: Decimal | null
 * await Product.query().sum('price')
 * ```
 */
export type Decimal = string & { readonly [decimalBrand]?: 'decimal' }

type IsAny<T> = 0 extends 1 & T ? true : false

type Comparable<T> = T extends null | undefined
  ? never
  : T extends Date
    ? Date | string
    : T extends boolean
      ? boolean
      : T extends number | bigint
        ? number | bigint
        : T extends string
          ? T
          : T extends Uint8Array
            ? Buffer | Uint8Array
            : Value

/**
 * What a column of type `T` is compared with: a value of its type (a date also as an ISO string,
 * a number also as a bigint), or `null` (`IS NULL`). Untyped columns take any `Value`.
 */
export type ComparableTo<T> = IsAny<T> extends true ? Value : unknown extends T ? Value : Comparable<T> | null

/** The value `where(column, value)` takes for column name `K` (any `Value` for a name cast `as never`). */
export type ColumnValue<V, K> = [K] extends [never] ? Value : K extends keyof V ? ComparableTo<V[K]> : Value

/** What a column name `K` reads back as (`pluck`): the column's type, `unknown` when not known. */
export type ColumnResult<V, K> = K extends keyof V ? V[K] : unknown

/** `where({ email: 'a@b.c', age: 30 })`: each key a column name, each value of its column's type. */
export type WhereConditions<C extends string, V> = { [K in C]?: ColumnValue<V, K> }

type NumericType<T> = IsAny<T> extends true
  ? true
  : unknown extends T
    ? true
    : [Extract<NonNullable<T>, number | bigint>] extends [never]
      ? typeof decimalBrand extends keyof NonNullable<T>
        ? true
        : false
      : true

/** The names of numeric columns in `V` (number, bigint or `Decimal`). */
export type NumericKeys<V> = { [K in keyof V]-?: NumericType<V[K]> extends true ? K : never }[keyof V]

/** A column name `sum`/`avg`/`increment` accept: a numeric column, or a name the query cannot type. */
export type NumericColumn<C extends string, V> = Extract<C, NumericKeys<V>> | Exclude<C, keyof V>
