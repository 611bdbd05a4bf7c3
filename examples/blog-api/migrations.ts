// The blog's schema as migrations, bundled with the app (run by `new Migrator(db, { bundled })`).
import { Migration, type MigrationClass } from '../../src/index.js'

class CreateUsers extends Migration {
  async up() {
    await this.schema.createTable('users', (t) => {
      t.id()
      t.string('email').unique()
      t.string('name')
      t.text('bio').nullable()
      t.timestamps()
    })
  }
  async down() {
    await this.schema.dropTable('users')
  }
}

class CreatePosts extends Migration {
  async up() {
    await this.schema.createTable('posts', (t) => {
      t.id()
      t.foreignId('author_id').constrained('users').cascadeOnDelete()
      t.string('title')
      t.string('slug').unique()
      t.text('body')
      t.timestamp('published_at').nullable()
      t.timestamps()
    })
  }
  async down() {
    await this.schema.dropTable('posts')
  }
}

class CreateComments extends Migration {
  async up() {
    await this.schema.createTable('comments', (t) => {
      t.id()
      t.foreignId('post_id').constrained('posts').cascadeOnDelete()
      t.foreignId('author_id').constrained('users').cascadeOnDelete()
      t.text('body')
      t.timestamps()
    })
  }
  async down() {
    await this.schema.dropTable('comments')
  }
}

class CreateTags extends Migration {
  async up() {
    await this.schema.createTable('tags', (t) => {
      t.id()
      t.string('name').unique()
    })
    await this.schema.createTable('post_tag', (t) => {
      t.foreignId('post_id').constrained('posts').cascadeOnDelete()
      t.foreignId('tag_id').constrained('tags').cascadeOnDelete()
      t.primary(['post_id', 'tag_id'])
    })
  }
  async down() {
    await this.schema.dropTable('post_tag')
    await this.schema.dropTable('tags')
  }
}

export const migrations: Record<string, MigrationClass> = {
  '2026_01_01_000001_create_users': CreateUsers,
  '2026_01_01_000002_create_posts': CreatePosts,
  '2026_01_01_000003_create_comments': CreateComments,
  '2026_01_01_000004_create_tags': CreateTags,
}
