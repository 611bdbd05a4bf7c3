// The e-commerce example, end to end on a fresh SQLite file: apply the generated migrations,
// check that the models and the database agree (what `npx quarry migrate:check` does in CI),
// then place an order.   npm run example:ecommerce
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect, describeChange, Migrator, planSchema } from '../../src/index.js'
import { Address, Category, Customer, Image, Order, OrderLine, Payment, Product, Review, Tag, models } from './models.js'

const scratch = mkdtempSync(join(tmpdir(), 'quarry-ecommerce-'))
const db = await connect({ url: process.env.DATABASE_URL ?? `sqlite:${join(scratch, 'shop.db')}` })
try {
  const run = await new Migrator(db, { directory: join(import.meta.dirname, 'migrations') }).latest()
  console.log(`Migrated: ${run.migrations.map((m) => m.name).join(', ') || 'nothing pending'}`)
  const { changes, warnings } = await planSchema(db.connection(), models, { allowDrop: true })
  if (changes.length || warnings.length) {
    throw new Error(`The database differs from the models:\n${changes.map(describeChange).join('\n')}`)
  }
  console.log('The database matches the models.')

  const shop = await Category.create({ name: 'Shop', parentId: null })
  const mugs = await Category.create({ name: 'Mugs', parentId: shop.id })
  const mug = await Product.create({ categoryId: mugs.id, sku: 'MUG-1', name: 'Blue mug', description: null, price: '12.50', attributes: { colour: 'blue' } })
  const tags = await Promise.all(['kitchen', 'gift'].map((name) => Tag.create({ name })))
  await mug.related('tags').attach(tags.map((t) => t.id))
  await Image.create({ imageableType: 'product', imageableId: mug.id, url: 'https://example.com/mug.jpg', position: 0 })

  const ada = await Customer.create({ email: 'ada@example.com', name: 'Ada' })
  const home = await Address.create({ customerId: ada.id, line1: '1 Analytical Row', line2: null, city: 'London', postcode: 'N1', country: 'GB' })
  const order = await Order.create({ customerId: ada.id, addressId: home.id, total: '25.00', placedAt: new Date() })
  await OrderLine.create({ orderId: order.id, productId: mug.id, quantity: 2, unitPrice: '12.50' })
  await Payment.create({ orderId: order.id, provider: 'card', amount: '25.00' })
  const review = await Review.create({ productId: mug.id, customerId: ada.id, rating: 5, body: 'Holds tea.' })
  await Image.create({ imageableType: 'review', imageableId: review.id, url: 'https://example.com/tea.jpg', position: 0 })

  const placed = await Order.query().with('customer').with('lines.product.tags').with('payments').where('id', order.id).firstOrFail()
  const line = placed.lines[0]!
  console.log(`Order ${placed.id} (${placed.status}) for ${placed.customer!.name}: ${line.quantity} × ${line.product!.name} [${line.product!.tags.map((t) => t.name).sort().join(', ')}], paid ${placed.payments[0]!.amount} by ${placed.payments[0]!.provider}`)
  const tree = await Category.query().with('children').where('parentId', '=', null).firstOrFail()
  console.log(`Categories: ${tree.name} > ${tree.children.map((c) => `${c.name} (${c.slug})`).join(', ')}`)
  const pictures = await Image.query().with('imageable').orderBy('id')
  console.log(`Images: ${pictures.map((i) => `${i.url} of ${i.imageableType} ${i.imageableId}`).join('; ')}`)
} finally {
  await db.close()
  rmSync(scratch, { recursive: true, force: true })
}
