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

export class CreateRolesAndComments extends Migration {
  async up() {
    await this.schema.createTable('roles', (t) => {
      t.id()
      t.string('name').unique()
    })
    await this.schema.createTable('role_user', (t) => {
      t.foreignId('role_id').constrained().cascadeOnDelete()
      t.foreignId('user_id').constrained().cascadeOnDelete()
      t.integer('granted_by').nullable()
      t.timestamps()
      t.primary(['role_id', 'user_id'])
    })
    await this.schema.createTable('comments', (t) => {
      t.id()
      t.uuidMorphs('commentable')
      t.string('body')
      t.timestamps()
    })
  }
  async down() {
    await this.schema.dropTable('comments')
    await this.schema.dropTable('role_user')
    await this.schema.dropTable('roles')
  }
}

export const migrations = {
  '2026_01_01_000000_create_users': CreateUsers,
  '2026_01_01_000100_create_posts': CreatePosts,
  '2026_01_01_000200_create_roles_and_comments': CreateRolesAndComments,
}
