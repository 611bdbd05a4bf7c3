// The shop's models. Every column says its type (or its variant implies it), so the migration
// generator needs no decorator metadata: `npx quarry migrate:generate` and the tests read these.
import {
  belongsTo,
  type BelongsTo,
  belongsToMany,
  type BelongsToMany,
  column,
  hasMany,
  type HasMany,
  Model,
  morphMany,
  type MorphMany,
  morphTo,
  type MorphTo,
  table,
} from '../../src/index.js'

@table('customers')
export class Customer extends Model {
  @column.primary() declare id: number
  @column({ type: 'string', unique: true }) declare email: string
  @column({ type: 'string', length: 120 }) declare name: string
  @column.boolean({ default: true }) declare marketing: boolean
  @column.createdAt() declare createdAt: Date
  @column.updatedAt() declare updatedAt: Date
  @hasMany(() => Address) declare addresses: HasMany<Address>
  @hasMany(() => Order) declare orders: HasMany<Order>
  @hasMany(() => Review) declare reviews: HasMany<Review>
}

@table('addresses')
export class Address extends Model {
  @column.primary() declare id: number
  @column() declare customerId: number
  @column({ type: 'string' }) declare line1: string
  @column({ type: 'string', nullable: true }) declare line2: string | null
  @column({ type: 'string', length: 80 }) declare city: string
  @column({ type: 'string', length: 20 }) declare postcode: string
  @column({ type: 'string', length: 2 }) declare country: string
  @belongsTo(() => Customer) declare customer: BelongsTo<Customer>
}

@table('categories')
export class Category extends Model {
  @column.primary() declare id: number
  @column({ nullable: true }) declare parentId: number | null
  @column({ type: 'string', length: 80 }) declare name: string
  @column.slug({ from: 'name', unique: true }) declare slug: string
  @belongsTo(() => Category, { foreignKey: 'parentId' }) declare parent: BelongsTo<Category>
  @hasMany(() => Category, { foreignKey: 'parentId' }) declare children: HasMany<Category>
  @hasMany(() => Product) declare products: HasMany<Product>
}

@table('products')
export class Product extends Model {
  @column.primary() declare id: number
  @column() declare categoryId: number
  @column({ type: 'string', length: 40, unique: true }) declare sku: string
  @column({ type: 'string' }) declare name: string
  @column({ type: 'text', nullable: true }) declare description: string | null
  @column.decimal({ precision: 10, scale: 2 }) declare price: string
  @column({ type: 'integer', default: 0 }) declare stock: number
  @column.json({ nullable: true }) declare attributes: Record<string, unknown> | null
  @column.createdAt() declare createdAt: Date
  @column.updatedAt() declare updatedAt: Date
  @column.deletedAt() declare deletedAt: Date | null
  @belongsTo(() => Category) declare category: BelongsTo<Category>
  @hasMany(() => Review) declare reviews: HasMany<Review>
  @morphMany(() => Image, 'imageable') declare images: MorphMany<Image>
  @belongsToMany(() => Tag) declare tags: BelongsToMany<Tag>
}

@table('tags')
export class Tag extends Model {
  @column.primary() declare id: number
  @column({ type: 'string', length: 40, unique: true }) declare name: string
  @belongsToMany(() => Product) declare products: BelongsToMany<Product>
}

@table('orders')
export class Order extends Model {
  @column.primary() declare id: number
  @column() declare customerId: number
  @column() declare addressId: number
  @column({ type: 'string', length: 20, default: 'pending', index: true }) declare status: string
  @column.decimal({ precision: 12, scale: 2 }) declare total: string
  @column.dateTime({ nullable: true }) declare placedAt: Date | null
  @column.createdAt() declare createdAt: Date
  @column.updatedAt() declare updatedAt: Date
  @belongsTo(() => Customer) declare customer: BelongsTo<Customer>
  @belongsTo(() => Address) declare address: BelongsTo<Address>
  @hasMany(() => OrderLine) declare lines: HasMany<OrderLine>
  @hasMany(() => Payment) declare payments: HasMany<Payment>
}

@table('order_lines')
export class OrderLine extends Model {
  @column.primary() declare id: number
  @column() declare orderId: number
  @column() declare productId: number
  @column({ type: 'integer' }) declare quantity: number
  @column.decimal({ precision: 10, scale: 2 }) declare unitPrice: string
  @belongsTo(() => Order) declare order: BelongsTo<Order>
  @belongsTo(() => Product) declare product: BelongsTo<Product>
}

@table('payments')
export class Payment extends Model {
  @column.primary({ type: 'uuid' }) declare id: string
  @column() declare orderId: number
  @column({ type: 'string', length: 20 }) declare provider: string
  @column.decimal({ precision: 12, scale: 2 }) declare amount: string
  @column.boolean({ default: false }) declare captured: boolean
  @column.createdAt() declare createdAt: Date
  @belongsTo(() => Order) declare order: BelongsTo<Order>
}

@table('reviews')
export class Review extends Model {
  @column.primary() declare id: number
  @column() declare productId: number
  @column() declare customerId: number
  @column({ type: 'integer' }) declare rating: number
  @column({ type: 'text', nullable: true }) declare body: string | null
  @column.createdAt() declare createdAt: Date
  @belongsTo(() => Product) declare product: BelongsTo<Product>
  @belongsTo(() => Customer) declare customer: BelongsTo<Customer>
  @morphMany(() => Image, 'imageable') declare images: MorphMany<Image>
}

/** Pictures of products and of reviews: one table, a polymorphic owner. */
@table('images')
export class Image extends Model {
  @column.primary() declare id: number
  @column({ type: 'string', length: 40 }) declare imageableType: string
  @column({ type: 'bigInteger' }) declare imageableId: number
  @column({ type: 'string', length: 500 }) declare url: string
  @column({ type: 'integer', default: 0 }) declare position: number
  @morphTo() declare imageable: MorphTo<Product | Review>
}

Model.morphMap({ product: Product, review: Review })

export const models = [Customer, Address, Category, Product, Tag, Order, OrderLine, Payment, Review, Image]
