import { beforeAll, expect, it } from 'vitest'
import { type ColumnInfo, QuarryError, SchemaBuilder } from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'

forEachDialect('db.schema introspection', (ctx) => {
  const embedded = () => ctx.db.connection().dialect.supports.embedded

  beforeAll(async () => {
    const schema = new SchemaBuilder(ctx.db.connection())
    await schema.createTable('authors', (t) => {
      t.id()
      t.string('email', 120).unique()
    })
    await schema.createTable('articles', (t) => {
      t.id()
      t.foreignId('author_id').constrained().cascadeOnDelete()
      t.foreignId('editor_id').nullable().constrained('authors').nullOnDelete()
      t.uuid('public_id').unique()
      t.string('slug', 80)
      t.string('status').defaultTo('draft')
      t.text('body').nullable()
      t.json('meta').nullable()
      t.decimal('price', 10, 2).defaultTo(0)
      t.boolean('published').defaultTo(false)
      t.integer('views').defaultTo(0)
      t.bigInteger('bytes').nullable()
      t.date('due_on').nullable()
      t.time('starts_at').nullable()
      t.binary('thumbnail').nullable()
      t.timestamps()
      t.unique(['author_id', 'slug'])
      t.index(['status', 'published'], 'articles_status_published_index')
    })
    await schema.createTable('article_author', (t) => {
      t.foreignId('article_id').constrained().cascadeOnDelete()
      t.foreignId('author_id').constrained().restrictOnDelete()
      t.primary(['article_id', 'author_id'])
    })
    await schema.raw('create view published_articles as select id, slug from articles where slug is not null')
  })

  const column = (columns: ColumnInfo[], name: string) => {
    const found = columns.find((c) => c.name === name)
    if (!found) throw new Error(`no column ${name} in ${columns.map((c) => c.name).join(', ')}`)
    return found
  }

  it('lists the base tables by name, not the views', async () => {
    expect(await ctx.db.schema.getTables()).toEqual([{ name: 'article_author' }, { name: 'articles' }, { name: 'authors' }])
    expect(await ctx.db.schema.getViews()).toEqual(['published_articles'])
    expect(await ctx.db.schema.hasTable('articles')).toBe(true)
    expect(await ctx.db.schema.hasTable('published_articles')).toBe(false)
  })

  it('reads columns with normalised types, nullability, defaults, keys and sizes', async () => {
    const columns = await ctx.db.schema.getColumns('articles')
    expect(columns.map((c) => c.name)).toEqual([
      'id', 'author_id', 'editor_id', 'public_id', 'slug', 'status', 'body', 'meta', 'price', 'published', 'views',
      'bytes', 'due_on', 'starts_at', 'thumbnail', 'created_at', 'updated_at',
    ])
    for (const c of columns) {
      expect(Object.keys(c).sort()).toEqual(['autoIncrement', 'databaseType', 'default', 'length', 'name', 'nullable', 'precision', 'primary', 'scale', 'type'])
    }
    const id = column(columns, 'id')
    expect(id).toMatchObject({ primary: true, autoIncrement: true, nullable: false })
    // SQLite's rowid is a 64-bit integer declared `integer`.
    expect(id.type).toBe(embedded() ? 'integer' : 'bigInteger')
    expect(column(columns, 'author_id')).toMatchObject({ type: 'bigInteger', nullable: false, primary: false, autoIncrement: false, default: null })
    expect(column(columns, 'editor_id')).toMatchObject({ type: 'bigInteger', nullable: true })
    expect(column(columns, 'slug')).toMatchObject({ type: 'string', length: 80, nullable: false })
    expect(column(columns, 'status')).toMatchObject({ type: 'string', length: 255 })
    expect(column(columns, 'status').default).toMatch(/^'draft'/)
    expect(column(columns, 'body')).toMatchObject({ type: 'text', nullable: true, default: null })
    expect(column(columns, 'published').type).toBe('boolean')
    expect(column(columns, 'published').default).toMatch(/^(false|'0'|0)$/)
    expect(column(columns, 'views')).toMatchObject({ type: 'integer', default: expect.stringMatching(/^'?0'?$/) })
    expect(column(columns, 'bytes').type).toBe('bigInteger')
    expect(column(columns, 'due_on').type).toBe('date')
    expect(column(columns, 'starts_at').type).toBe('time')
    expect(column(columns, 'thumbnail').type).toBe('binary')
    expect(column(columns, 'created_at')).toMatchObject({ type: 'dateTime', nullable: true })
    if (embedded()) {
      // SQLite has no JSON, UUID or exact decimal type: the schema builder declares text, text and float.
      expect(column(columns, 'meta').type).toBe('text')
      expect(column(columns, 'public_id').type).toBe('text')
      expect(column(columns, 'price').type).toBe('float')
    } else {
      expect(column(columns, 'meta').type).toBe('json')
      expect(column(columns, 'public_id').type).toBe('uuid')
      expect(column(columns, 'price')).toMatchObject({ type: 'decimal', precision: 10, scale: 2 })
      expect(column(columns, 'created_at').precision).toBe(3)
    }
    expect(column(columns, 'price').default).toMatch(/0/)
  })

  it('reads indexes: the primary key first, unique and composite ones with their columns in order', async () => {
    const indexes = await ctx.db.schema.getIndexes('articles')
    expect(indexes[0]).toMatchObject({ columns: ['id'], unique: true, primary: true })
    const byColumns = (columns: string[]) => indexes.filter((i) => !i.primary && i.columns.join() === columns.join())
    expect(byColumns(['author_id', 'slug'])).toEqual([{ name: 'articles_author_id_slug_unique', columns: ['author_id', 'slug'], unique: true, primary: false }])
    expect(byColumns(['public_id'])).toEqual([{ name: 'articles_public_id_unique', columns: ['public_id'], unique: true, primary: false }])
    expect(byColumns(['status', 'published'])).toEqual([{ name: 'articles_status_published_index', columns: ['status', 'published'], unique: false, primary: false }])
    const pivot = await ctx.db.schema.getIndexes('article_author')
    expect(pivot[0]).toMatchObject({ columns: ['article_id', 'author_id'], unique: true, primary: true })
    expect(pivot.filter((i) => i.primary)).toHaveLength(1)
    const pivotColumns = await ctx.db.schema.getColumns('article_author')
    expect(pivotColumns.map((c) => [c.name, c.primary, c.autoIncrement])).toEqual([['article_id', true, false], ['author_id', true, false]])
  })

  it('reads foreign keys with their actions, named as knex names them', async () => {
    expect(await ctx.db.schema.getForeignKeys('articles')).toEqual([
      { name: 'articles_author_id_foreign', columns: ['author_id'], foreignTable: 'authors', foreignColumns: ['id'], onDelete: 'CASCADE', onUpdate: expect.stringMatching(/^(NO ACTION|RESTRICT)$/) },
      { name: 'articles_editor_id_foreign', columns: ['editor_id'], foreignTable: 'authors', foreignColumns: ['id'], onDelete: 'SET NULL', onUpdate: expect.stringMatching(/^(NO ACTION|RESTRICT)$/) },
    ])
    const pivot = await ctx.db.schema.getForeignKeys('article_author')
    expect(pivot.map((k) => [k.columns, k.foreignTable, k.onDelete])).toEqual([
      [['article_id'], 'articles', 'CASCADE'],
      [['author_id'], 'authors', 'RESTRICT'],
    ])
    expect(await ctx.db.schema.getForeignKeys('authors')).toEqual([])
  })

  it('reads enums: MySQL enum columns, PostgreSQL enum types (listed by getTypes); knex checks elsewhere', async () => {
    const schema = new SchemaBuilder(ctx.db.connection())
    const native = ctx.db.connection().dialect.catalog.dropTypeSql !== undefined
    await schema.createTable('moods', (t) => {
      t.increments('id')
      if (native) t.enum('mood', ['happy', 'sad'], { useNative: true, enumName: 'mood_kind' })
      else t.enum('mood', ['happy', 'sad'])
    })
    try {
      const [, mood] = await ctx.db.schema.getColumns('moods')
      if (native) {
        expect(mood).toMatchObject({ name: 'mood', type: 'enum', databaseType: 'mood_kind' })
        expect(await ctx.db.schema.getTypes()).toEqual(['mood_kind'])
      } else {
        expect(mood!.type).toBe(embedded() ? 'text' : 'enum')
        expect(await ctx.db.schema.getTypes()).toEqual([])
      }
      if (!embedded() && !native) expect(mood!.databaseType).toBe("enum('happy','sad')")
    } finally {
      await schema.dropTable('moods')
      if (native) await schema.raw('drop type mood_kind')
    }
  })

  it('names a missing table, and refuses a name that is not a string before any SQL', async () => {
    await expect(ctx.db.schema.getColumns('nope')).rejects.toThrow(/db\.schema\.getColumns\(\): no table "nope" .*its tables are: article_author, articles, authors/)
    await expect(ctx.db.schema.getIndexes('nope')).rejects.toBeInstanceOf(QuarryError)
    await expect(ctx.db.schema.getForeignKeys('published_articles')).rejects.toThrow(/no table "published_articles"/)
    let sent = 0
    const off = ctx.db.on('query', () => sent++)
    try {
      await expect(ctx.db.schema.getColumns(42 as unknown as string)).rejects.toThrow('db.schema.getColumns() takes a table name, got number')
      await expect(ctx.db.schema.getIndexes('')).rejects.toThrow('got an empty string')
    } finally {
      off()
    }
    expect(sent).toBe(0)
  })

  it('reads inside a transaction, seeing the tables it created', async () => {
    await ctx.db.transaction(async () => {
      if (!ctx.db.connection().dialect.supports.transactionalDdl) return
      await new SchemaBuilder(ctx.db.connection()).createTable('drafts', (t) => t.id())
      expect((await ctx.db.schema.getTables()).map((t) => t.name)).toContain('drafts')
      throw new Error('roll back')
    }).catch((error: Error) => expect(error.message).toBe('roll back'))
    expect((await ctx.db.schema.getTables()).map((t) => t.name)).not.toContain('drafts')
  })
})
