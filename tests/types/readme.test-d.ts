// The README's quick start, type-checked by `tsc --noEmit` so the documented code stays true.
import 'reflect-metadata'
import { expectTypeOf } from 'vitest'
import { column, connect, Model, type ModelQuery, table } from '../../src/index.js'

@table('users')
class User extends Model {
  @column.primary() declare id: number
  @column() declare email: string
  @column() declare name: string | null
  @column.boolean() declare active: boolean
  @column.json() declare settings: Record<string, unknown> | null
  @column.createdAt() declare createdAt: Date
  @column.updatedAt() declare updatedAt: Date

  static fillable = ['email', 'name', 'settings']
  static scopes = { active: (q: ModelQuery<User>) => q.where('active', true) }
}

export async function quickStart() {
  const db = await connect()
  User.on('creating', (user) => {
    user.email = user.email.toLowerCase()
  })
  await db.transaction(async () => {
    const ada = await User.create({ email: 'Ada@Example.com', name: 'Ada' })
    ada.name = 'Ada Lovelace'
    await ada.save()
  })
  const page = await User.query().scope('active').orderBy('createdAt', 'desc').paginate(1, 20)
  expectTypeOf(page.data).toEqualTypeOf<User[]>()
  expectTypeOf(page.meta.total).toEqualTypeOf<number>()
  // @ts-expect-error: User has no column "emial"
  await User.query().where('emial', 'x')
  await db.close()
}
