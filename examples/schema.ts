// The demo's schema, as migrations (bundled here; an app keeps them in database/migrations and
// runs `npx quarry migrate`).
import { Migration } from '../src/index.js'

export class CreateUsers extends Migration {
  async up() {
    await this.schema.createTable('users', (t) => {
      t.id()
      t.string('email').unique()
      t.string('name').nullable()
      t.integer('age').nullable()
      t.boolean('active').default(true)
      t.json('settings').nullable()
      t.timestamps()
      t.softDeletes()
    })
  }
  async down() {
    await this.schema.dropTable('users')
  }
}

export class CreatePosts extends Migration {
  async up() {
    await this.schema.createTable('posts', (t) => {
      t.uuid('id').primary()
      t.foreignId('author_id').constrained('users').cascadeOnDelete()
      t.string('title')
      t.string('slug').unique()
      t.boolean('published').default(false)
      t.integer('version').default(1)
      t.timestamps()
    })
  }
  async down() {
    await this.schema.dropTable('posts')
  }
}

export const migrations = {
  '2026_01_01_000000_create_users': CreateUsers,
  '2026_01_01_000100_create_posts': CreatePosts,
}
