// Type tests for API.md §15 (issue 17): values typed by their column, typed results, numeric
// aggregates, pivot attributes, global scope names, relation decorators that agree with their
// declared types, and a typed toJSON(). Checked by `tsc --noEmit` under TypeScript 7 and 5.5
// (`npm run typecheck`, `npm run typecheck:ts5`, both part of `npm test`). Each `@ts-expect-error`
// fails the check if the line it guards starts to compile.
import { expectTypeOf } from 'vitest'
import {
  belongsTo,
  type BelongsTo,
  belongsToMany,
  type BelongsToMany,
  column,
  type Decimal,
  hasMany,
  type HasMany,
  hasOne,
  type HasOne,
  Model,
  type ModelJSON,
  type ModelQuery,
  table,
} from '../../src/index.js'

@table('accounts')
class Account extends Model {
  @column.primary() declare id: number
  @column() declare email: string
  @column() declare name: string | null
  @column() declare age: number | null
  @column.boolean() declare active: boolean
  @column.json() declare settings: Record<string, unknown>
  @column.decimal({ scale: 2 }) declare balance: Decimal
  @column() declare status: 'draft' | 'live'
  @column.createdAt() declare createdAt: Date
  @column({ hidden: true }) declare password: string
  @hasMany(() => Order, { foreignKey: 'accountId' }) declare orders: HasMany<Order>
  @belongsToMany(() => Group, { pivotColumns: ['grantedBy'], pivotTimestamps: true })
  declare groups: BelongsToMany<Group, 'grantedBy' | 'createdAt' | 'updatedAt'>
  @belongsToMany(() => Group, { pivotTable: 'group_watchers' }) declare watched: BelongsToMany<Group>

  static globalScopes = { tenant: (q: ModelQuery<Account>) => q.where('age', '>', 0) }
}

@table('orders')
class Order extends Model {
  @column.primary({ type: 'uuid' }) declare id: string
  @column() declare accountId: number
  @column() declare total: number
  @column() declare note: string | null
  @belongsTo(() => Account, { foreignKey: 'accountId' }) declare account: BelongsTo<Account>
}

@table('groups')
class Group extends Model {
  @column.primary() declare id: number
  @column() declare label: string
}

declare const account: Account

// ---- values typed by their column ----------------------------------------------------------
Account.query().where('age', 30).where('age', '>', 18).where('age', null).where('email', 'like', '%@x.io')
Account.query().where('active', true).where('createdAt', '>', new Date()).where('created_at', '<', '2026-01-01')
Account.query().where('status', 'live').where({ active: true, age: 3, email: 'a@b.c' }).where('accounts.age', 'anything')
Account.query().whereIn('id', [1, 2]).whereNotIn('email', ['a']).whereBetween('age', [18, 65]).orWhere('name', null)
Account.query().where('id', Order.query().select('accountId'))
Account.query().whereRaw('age > ?', ['thirty'])
// @ts-expect-error a string for a numeric column
Account.query().where('age', 'thirty')
// @ts-expect-error a string for a numeric column, with an operator
Account.query().where('age', '>', 'thirty')
// @ts-expect-error strings for a numeric key
Account.query().whereIn('id', ['a'])
// @ts-expect-error a string for a boolean column, in an object condition
Account.query().where({ active: 'yes' })
// @ts-expect-error a value outside an enum column's values
Account.query().where('status', 'archived')
// @ts-expect-error a number for a date column
Account.query().whereBetween('createdAt', [1, 2])
// @ts-expect-error orWhere is typed too
Account.query().orWhere('email', 7)

// ---- results typed by their column -----------------------------------------------------------
expectTypeOf(Account.query().pluck('email')).resolves.toEqualTypeOf<string[]>()
expectTypeOf(Account.query().pluck('age')).resolves.toEqualTypeOf<Array<number | null>>()
expectTypeOf(Account.query().pluck('created_at')).resolves.toEqualTypeOf<Date[]>()
// @ts-expect-error pluck of an unknown column
void Account.query().pluck('emial')

// ---- sum, avg, increment: numeric columns only -----------------------------------------------
expectTypeOf(Account.query().sum('age')).resolves.toEqualTypeOf<number>()
expectTypeOf(Account.query().avg('balance')).resolves.toEqualTypeOf<number | null>()
void Account.query().sum('accounts.age')
void Account.query().max('createdAt')
void account.increment('age', 2)
void account.decrement('age')
// @ts-expect-error sum of a string column
void Account.query().sum('email')
// @ts-expect-error avg of a boolean column
void Account.query().avg('active')
// @ts-expect-error increment of a string column
void account.increment('email')
// @ts-expect-error decrement of a date column
void account.decrement('createdAt')

// ---- pivot attributes named by the relation's type --------------------------------------------
void account.related('groups').attach([1, 2], { grantedBy: 7 })
void account.related('groups').attach({ 1: { grantedBy: 7 } })
void account.related('groups').updatePivot(1, { granted_by: 3 })
void account.related('groups').sync({ 1: { grantedBy: 1 } })
void account.related('watched').attach([1], { anything: 1 })
// @ts-expect-error a misspelt pivot attribute
void account.related('groups').attach([1, 2], { grantdBy: 7 })
// @ts-expect-error updatePivot of an undeclared pivot attribute
void account.related('groups').updatePivot(1, { expires: 3 })
// @ts-expect-error a misspelt pivot attribute in the keyed form
void account.related('groups').sync({ 1: { grantdBy: 1 } })

// ---- global scope names -----------------------------------------------------------------------
Account.query().withoutGlobalScope('tenant').withoutGlobalScope('softDeletes')
const byHand = (q: ModelQuery<Account>) => q.withoutGlobalScope('anything')
void byHand
// @ts-expect-error a misspelt global scope
Account.query().withoutGlobalScope('tenantt')
// @ts-expect-error a model without global scopes offers only softDeletes
Order.query().withoutGlobalScope('tenant')

// ---- relation decorators agree with the declared type ---------------------------------------
class Checked extends Model {
  @column.primary() declare id: number
  @column() declare accountId: number
  @hasMany(() => Order) declare orders: HasMany<Order>
  @hasMany(() => Order) declare plainOrders: Order[]
  @belongsTo(() => Account, { foreignKey: 'accountId' }) declare account: BelongsTo<Account>
  @belongsTo(() => Account, { foreignKey: 'account_id' }) declare accountBySnake: Account | null
  @hasOne(() => Order, { foreignKey: 'accountId', localKey: 'accountId' }) declare firstOrder: HasOne<Order>
  @belongsToMany(() => Group, { pivotColumns: ['grantedBy'] }) declare groups: BelongsToMany<Group>

  // @ts-expect-error the decorator's model and the declared model differ
  @hasMany(() => Order) declare wrongModel: HasMany<Group>
  // @ts-expect-error a hasMany declared as a single relation
  @hasMany(() => Order) declare wrongKind: HasOne<Order>
  // @ts-expect-error a belongsTo declared as a hasMany
  @belongsTo(() => Account) declare wrongBrand: HasMany<Account>
  // @ts-expect-error a foreignKey naming no property of the related model
  @hasMany(() => Order, { foreignKey: 'acountId' }) declare badForeignKey: HasMany<Order>
  // @ts-expect-error a belongsTo foreignKey naming no property of this model
  @belongsTo(() => Account, { foreignKey: 'authrId' }) declare badOwnerKey: BelongsTo<Account>
  // @ts-expect-error an ownerKey naming no property of the owner
  @belongsTo(() => Account, { foreignKey: 'accountId', ownerKey: 'uuid' }) declare badOwner: BelongsTo<Account>
  // @ts-expect-error pivotColumns the declared type does not name
  @belongsToMany(() => Group, { pivotColumns: ['grantedBy'] }) declare badPivot: BelongsToMany<Group, 'grantdBy'>
}
void Checked

// ---- toJSON() ---------------------------------------------------------------------------------
const json = account.toJSON()
expectTypeOf(json).toEqualTypeOf<ModelJSON<Account>>()
expectTypeOf(json.email).toEqualTypeOf<string>()
expectTypeOf(json.age).toEqualTypeOf<number | null>()
expectTypeOf(json.settings).toEqualTypeOf<Record<string, unknown>>()
expectTypeOf(json.orders).toEqualTypeOf<Array<ModelJSON<Order>> | undefined>()
expectTypeOf(json.orders![0]!.account).toEqualTypeOf<ModelJSON<Account> | null | undefined>()
// @ts-expect-error not a column or relation of Account
void json.emial
// @ts-expect-error a loaded relation may be absent
void json.orders.length

// ---- select() narrows the results ---------------------------------------------------------------
export async function selected() {
  const one = await Account.query().select('id', 'email').where('age', '>', 1).firstOrFail()
  expectTypeOf(one.email).toEqualTypeOf<string>()
  expectTypeOf(one.id).toEqualTypeOf<number>()
  // @ts-expect-error age was not selected
  void one.age
  const rows = await Account.query().select('id', 'email').with('orders').orderBy('id')
  expectTypeOf(rows[0]!.orders).toEqualTypeOf<HasMany<Order>>()
  expectTypeOf(rows[0]!.toJSON().email).toEqualTypeOf<string>()
  // @ts-expect-error name was not selected, awaiting the query either
  void rows[0]!.name
  const page = await Account.query().select('email').paginate(1, 10)
  // @ts-expect-error not selected, in a page
  void page.data[0]!.id
  // Without a selection, or with a qualified name, every column is there.
  expectTypeOf((await Account.query().firstOrFail()).age).toEqualTypeOf<number | null>()
  expectTypeOf((await Account.query().select('accounts.id').firstOrFail()).age).toEqualTypeOf<number | null>()
}
