/** The drivers `quarry init --driver` offers, with the package each needs and the URL it starts with. */
export const INIT_DRIVERS = {
  // ./quarry.sqlite is also what connect() opens without arguments, so the README's quick start finds the table.
  sqlite: { package: 'better-sqlite3', url: 'sqlite:./quarry.sqlite' },
  libsql: { package: '@libsql/client', url: 'libsql:file:database.db' },
  postgres: { package: 'pg', url: 'postgres://postgres@127.0.0.1:5432/app' },
  mysql: { package: 'mysql2', url: 'mysql://root@127.0.0.1:3306/app' },
} as const

export type InitDriver = keyof typeof INIT_DRIVERS

/** `quarry.config.ts` of a new project. */
export function initConfig(driver: InitDriver): string {
  return `import { defineConfig } from 'quarry'

// DATABASE_URL, when set, replaces this connection (driver included).
export default defineConfig({
  connection: '${INIT_DRIVERS[driver].url}',
  migrations: { directory: 'database/migrations' },
  seeders: { directory: 'database/seeders' },
  factories: { directory: 'database/factories' },
  models: { directory: 'models' },
})
`
}

/** A tsconfig with what decorators need (legacy decorators, their metadata) and Node's ESM resolution. */
export const INIT_TSCONFIG = `${JSON.stringify(
  {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      useDefineForClassFields: false,
      skipLibCheck: true,
      outDir: 'dist',
    },
    include: ['**/*.ts'],
    exclude: ['node_modules', 'dist'],
  },
  null,
  2,
)}
`

/** The first migration: the users table of the README's quick start. */
export const INIT_MIGRATION = `import { Migration } from 'quarry'

export default class extends Migration {
  async up() {
    await this.schema.createTable('users', (t) => {
      t.id()
      t.string('email').unique()
      t.string('name').nullable()
      t.boolean('active').defaultTo(true)
      t.json('settings').nullable()
      t.timestamps()
    })
  }

  async down() {
    await this.schema.dropTable('users')
  }
}
`

/** The first model, over that table. */
export const INIT_MODEL = `import { column, Model, type ModelQuery, table } from 'quarry'

@table('users')
export class User extends Model {
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
`
