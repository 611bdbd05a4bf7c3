// The studio's JSON API over real HTTP: every refusal (no token, a foreign Host, a missing CSRF
// header, --read-only), the rows with pages, sort and filters, a row with its relations, and
// writes through the model (casts, observers, errors per field, nothing half-written).
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startStudio, type Studio } from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'
import { type Author, Book, created, MODELS, seed } from './fixtures/models.js'
import { call, signIn } from './support.js'

forEachDialect('studio API', (ctx) => {
  let studio: Studio
  let readOnly: Studio
  let cookie: string
  let csrf: string
  let ada: Author

  beforeAll(async () => {
    ;({ ada } = await seed(ctx.db))
    studio = await startStudio({ db: ctx.db, models: MODELS, port: 0 })
    readOnly = await startStudio({ db: ctx.db, models: MODELS, port: 0, readOnly: true })
    ;({ cookie, csrf } = await signIn(studio))
  })
  afterAll(async () => {
    await studio?.close()
    await readOnly?.close()
  })

  it('binds 127.0.0.1 and prints a URL with a long random token', () => {
    expect(studio.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/)
    expect(readOnly.token).not.toBe(studio.token)
  })

  it('moves the token from the URL into an HttpOnly SameSite=Strict cookie', async () => {
    const visit = await call(studio, 'GET', `/?token=${studio.token}`)
    expect(visit.status).toBe(303)
    expect(visit.headers.location).toBe('/')
    const setCookie = String(visit.headers['set-cookie'])
    expect(setCookie).toContain(`=${studio.token}`)
    expect(setCookie).toMatch(/HttpOnly/)
    expect(setCookie).toMatch(/SameSite=Strict/)
    const page = await call(studio, 'GET', '/', { cookie })
    expect(page.status).toBe(200)
    expect(page.headers['content-type']).toMatch(/text\/html/)
    expect(page.body).toContain('<script type="module" src="/studio.js">')
    expect((await call(studio, 'GET', '/studio.js', { cookie })).status).toBe(200)
    expect((await call(studio, 'GET', '/studio.css', { cookie })).status).toBe(200)
  })

  it('refuses requests without the token, or with a wrong one', async () => {
    for (const path of ['/', '/studio.js', '/api/models', '/api/session', '/api/models/Book/rows']) {
      const answer = await call(studio, 'GET', path)
      expect(answer.status, path).toBe(401)
      expect(answer.body.error.code).toBe('E_STUDIO_TOKEN')
    }
    expect((await call(studio, 'GET', '/?token=wrong')).status).toBe(401)
    expect((await call(studio, 'GET', '/api/models', { cookie: `${cookie.split('=')[0]}=wrong` })).status).toBe(401)
    // The other studio's cookie opens nothing here.
    const other = await signIn(readOnly)
    expect((await call(studio, 'GET', '/api/models', { cookie: other.cookie })).status).toBe(401)
  })

  it('refuses a Host header other than the bound address (DNS rebinding), token or not', async () => {
    const port = new URL(studio.origin).port
    for (const host of [`evil.example:${port}`, `127.0.0.1:${Number(port) + 1}`, 'evil.example', `127.0.0.1.evil.example:${port}`]) {
      const answer = await call(studio, 'GET', '/api/models', { cookie, host })
      expect(answer.status, String(host)).toBe(403)
      expect(answer.body.error.code).toBe('E_STUDIO_HOST')
    }
    expect((await call(studio, 'GET', `/?token=${studio.token}`, { host: `evil.example:${port}` })).status).toBe(403)
    // No Host at all: node:http itself answers 400 to an HTTP/1.1 request without one.
    expect((await call(studio, 'GET', '/api/models', { cookie, host: null })).status).toBe(400)
    expect((await call(studio, 'GET', '/api/models', { cookie, host: `localhost:${port}` })).status).toBe(200)
  })

  it('refuses writes without the session CSRF header, and writes nothing', async () => {
    const before = await Book.query().count()
    for (const headers of [{}, { csrf: 'forged' }]) {
      const create = await call(studio, 'POST', '/api/models/Book/rows', { cookie, ...headers, body: { values: { title: 'X', isbn: 'x', pages: 1, inPrint: true } } })
      expect(create.status).toBe(403)
      expect(create.body.error.code).toBe('E_STUDIO_CSRF')
      expect((await call(studio, 'PATCH', '/api/models/Book/rows/1', { cookie, ...headers, body: { values: { title: 'X' } } })).status).toBe(403)
      expect((await call(studio, 'DELETE', '/api/models/Book/rows/1', { cookie, ...headers })).status).toBe(403)
    }
    expect(await Book.query().count()).toBe(before)
    expect((await Book.findOrFail(1)).title).toBe('Notes 01')
  })

  it('--read-only refuses every write, CSRF header or not, and still reads', async () => {
    const session = await signIn(readOnly)
    const info = await call(readOnly, 'GET', '/api/session', { cookie: session.cookie })
    expect(info.body.readOnly).toBe(true)
    const attempts = [
      call(readOnly, 'POST', '/api/models/Book/rows', { ...session, body: { values: { title: 'X', isbn: 'ro', pages: 1, inPrint: true } } }),
      call(readOnly, 'PATCH', '/api/models/Book/rows/1', { ...session, body: { values: { title: 'X' } } }),
      call(readOnly, 'DELETE', '/api/models/Book/rows/1', session),
    ]
    for (const answer of await Promise.all(attempts)) {
      expect(answer.status).toBe(403)
      expect(answer.body.error.code).toBe('E_STUDIO_READ_ONLY')
    }
    expect((await Book.findOrFail(1)).title).toBe('Notes 01')
    expect(await Book.query().where('isbn', 'ro').count()).toBe(0)
    expect((await call(readOnly, 'GET', '/api/models/Book/rows', { cookie: session.cookie })).status).toBe(200)
  })

  it('lists the models with their tables, row counts and typed columns; hidden ones masked', async () => {
    const answer = await call(studio, 'GET', '/api/models', { cookie })
    expect(answer.status).toBe(200)
    const byName = Object.fromEntries(answer.body.models.map((m: { name: string }) => [m.name, m]))
    expect(byName.Author).toMatchObject({ table: 'studio_authors', count: 2 })
    expect(byName.Book).toMatchObject({ table: 'studio_books', count: 12 })
    const kinds = Object.fromEntries(byName.Book.columns.map((c: { property: string; kind: string }) => [c.property, c.kind]))
    expect(kinds).toEqual({ id: 'number', authorId: 'number', title: 'text', isbn: 'text', pages: 'number', inPrint: 'boolean', meta: 'json', publishedOn: 'date' })
    expect(byName.Author.columns.find((c: { property: string }) => c.property === 'password').masked).toBe(true)
    expect(byName.Book.relations).toEqual([{ name: 'author', kind: 'belongsTo', many: false, related: 'Author' }])
    expect(byName.Author.relations).toEqual([{ name: 'books', kind: 'hasMany', many: true, related: 'Book' }])
  })

  it('never sends a hidden value: rows, one row, filters and the statement log', async () => {
    const rows = await call(studio, 'GET', '/api/models/Author/rows', { cookie })
    const one = await call(studio, 'GET', `/api/models/Author/rows/${ada.id}`, { cookie })
    expect(rows.body.rows[0].password).toBe('••••••')
    expect(rows.body.rows[1].password).toBeNull()
    expect(one.body.row.password).toBe('••••••')
    const log = await call(studio, 'GET', '/api/queries', { cookie })
    for (const answer of [rows, one, log]) expect(JSON.stringify(answer.body)).not.toContain('s3cret')
    const probe = await call(studio, 'GET', `/api/models/Author/rows?filters=${encodeURIComponent(JSON.stringify([{ column: 'password', op: 'eq', value: 's3cret-hash' }]))}`, { cookie })
    expect(probe.status).toBe(400)
    expect(probe.body.error.message).toMatch(/password is masked/)
  })

  it('pages the rows on the server, with the total (or without it)', async () => {
    const page = await call(studio, 'GET', '/api/models/Book/rows?perPage=5&page=3', { cookie })
    expect(page.status).toBe(200)
    expect(page.body).toMatchObject({ page: 3, perPage: 5, total: 12, hasMore: false })
    expect(page.body.rows.map((r: { title: string }) => r.title)).toEqual(['Notes 11', 'Notes 12'])
    expect(page.body.keys).toHaveLength(2)
    const fast = await call(studio, 'GET', '/api/models/Book/rows?perPage=5&count=0', { cookie })
    expect(fast.body).toMatchObject({ total: null, hasMore: true })
    expect(fast.body.rows[0]).toEqual({ id: 1, authorId: ada.id, title: 'Notes 01', isbn: 'isbn-1', pages: 10, inPrint: false, meta: { tags: ['t1'] }, publishedOn: expect.stringMatching(/^2020-01-01/) })
  })

  it('sorts by any column, either way', async () => {
    const desc = await call(studio, 'GET', '/api/models/Book/rows?sort=pages&direction=desc&perPage=3', { cookie })
    expect(desc.body.rows.map((r: { pages: number }) => r.pages)).toEqual([120, 110, 100])
    const byTitle = await call(studio, 'GET', '/api/models/Book/rows?sort=title&perPage=2', { cookie })
    expect(byTitle.body.rows.map((r: { title: string }) => r.title)).toEqual(['Notes 01', 'Notes 02'])
  })

  it('filters per column by its type: equals, contains, is null, ranges of numbers and dates, booleans', async () => {
    const titles = async (filters: unknown[]) => {
      const answer = await call(studio, 'GET', `/api/models/Book/rows?perPage=50&filters=${encodeURIComponent(JSON.stringify(filters))}`, { cookie })
      expect(answer.status, JSON.stringify(answer.body)).toBe(200)
      return answer.body.rows.map((r: { title: string }) => r.title)
    }
    expect(await titles([{ column: 'title', op: 'contains', value: 'NOTES 1' }])).toEqual(['Notes 10', 'Notes 11', 'Notes 12'])
    expect(await titles([{ column: 'isbn', op: 'eq', value: 'isbn-4' }])).toEqual(['Notes 04'])
    expect(await titles([{ column: 'pages', op: 'gte', value: '30' }, { column: 'pages', op: 'lte', value: 50 }])).toEqual(['Notes 03', 'Notes 04', 'Notes 05'])
    expect(await titles([{ column: 'publishedOn', op: 'gte', value: '2020-01-11' }])).toEqual(['Notes 11', 'Notes 12'])
    expect(await titles([{ column: 'inPrint', op: 'eq', value: true }, { column: 'pages', op: 'lte', value: 40 }])).toEqual(['Notes 02', 'Notes 04'])
    expect(await titles([{ column: 'publishedOn', op: 'null' }])).toEqual([])
    expect(await titles([{ column: 'authorId', op: 'notNull' }])).toHaveLength(12)
  })

  it('refuses a filter or sort it cannot apply, naming what is wrong, before any SQL', async () => {
    const bad = async (query: string) => (await call(studio, 'GET', `/api/models/Book/rows?${query}`, { cookie }))
    const unknown = await bad(`filters=${encodeURIComponent(JSON.stringify([{ column: 'colour', op: 'eq', value: 1 }]))}`)
    expect(unknown.status).toBe(400)
    expect(unknown.body.error.message).toMatch(/Book has no column colour; its columns are: id, authorId, title/)
    expect((await bad(`filters=${encodeURIComponent(JSON.stringify([{ column: 'pages', op: 'contains', value: '1' }]))}`)).body.error.message).toMatch(/contains applies to text columns/)
    expect((await bad(`filters=${encodeURIComponent(JSON.stringify([{ column: 'pages', op: 'gte', value: 'many' }]))}`)).body.error.message).toMatch(/pages: expected a number/)
    expect((await bad(`filters=${encodeURIComponent(JSON.stringify([{ column: 'pages', op: 'like' }]))}`)).status).toBe(400)
    expect((await bad('filters=nope')).status).toBe(400)
    expect((await bad('sort=colour')).status).toBe(400)
    expect((await bad('page=0')).status).toBe(400)
    expect((await call(studio, 'GET', '/api/models/Nope/rows', { cookie })).status).toBe(404)
    expect((await call(studio, 'GET', '/api/models/Book/rows/9999', { cookie })).status).toBe(404)
  })

  it('shows a row with its relations: to-one as a link, to-many as pages of rows', async () => {
    const book = await call(studio, 'GET', '/api/models/Book/rows/3', { cookie })
    expect(book.status).toBe(200)
    expect(book.body.row.title).toBe('Notes 03')
    expect(book.body.relations.author).toMatchObject({ model: 'Author', key: ada.id, row: { name: 'Ada', password: '••••••' } })
    const author = await call(studio, 'GET', `/api/models/Author/rows/${ada.id}`, { cookie })
    expect(author.body.relations.books).toMatchObject({ model: 'Book', page: 1, perPage: 10, total: 12, hasMore: true })
    expect(author.body.relations.books.rows).toHaveLength(10)
    const second = await call(studio, 'GET', `/api/models/Author/rows/${ada.id}/relations/books?page=2`, { cookie })
    expect(second.body.rows.map((r: { title: string }) => r.title)).toEqual(['Notes 11', 'Notes 12'])
    const orphan = await Book.create({ authorId: null, title: 'Orphan', isbn: 'orphan', pages: 1, inPrint: true, meta: null, publishedOn: null })
    const none = await call(studio, 'GET', `/api/models/Book/rows/${orphan.id}`, { cookie })
    expect(none.body.relations.author).toEqual({ model: null, key: null })
    await orphan.delete()
  })

  it('creates through the model: casts and observers run', async () => {
    const answer = await call(studio, 'POST', '/api/models/Book/rows', {
      cookie, csrf,
      body: { values: { authorId: ada.id, title: 'Fresh', isbn: 'fresh', pages: '320', inPrint: true, meta: { tags: ['new'] }, publishedOn: '2024-05-06' } },
    })
    expect(answer.status, JSON.stringify(answer.body)).toBe(201)
    expect(answer.body.row).toMatchObject({ title: 'Fresh', pages: 320, meta: { tags: ['new'] }, publishedOn: expect.stringMatching(/^2024-05-06/) })
    expect(created).toContain('Fresh')
    const stored = await Book.findOrFail(answer.body.key)
    expect(stored.meta).toEqual({ tags: ['new'] })
    expect(stored.inPrint).toBe(true)
    expect(stored.publishedOn?.toISOString().slice(0, 10)).toBe('2024-05-06')
  })

  it('returns errors per field and writes nothing: bad input, a unique violation, a failing observer', async () => {
    const before = await Book.query().count()
    const input = await call(studio, 'POST', '/api/models/Book/rows', { cookie, csrf, body: { values: { title: 'T', isbn: 'i', pages: 'many', inPrint: 'maybe', colour: 'red' } } })
    expect(input.status).toBe(422)
    expect(Object.keys(input.body.error.fields).sort()).toEqual(['colour', 'inPrint', 'pages'])
    expect(input.body.error.fields.pages).toMatch(/expected a number/)

    const duplicate = await call(studio, 'POST', '/api/models/Book/rows', { cookie, csrf, body: { values: { title: 'Dup', isbn: 'isbn-1', pages: 1, inPrint: true } } })
    expect(duplicate.status).toBe(422)
    expect(duplicate.body.error.code).toBe('E_UNIQUE_VIOLATION')
    expect(Object.keys(duplicate.body.error.fields)).toEqual(['isbn'])

    const refused = await call(studio, 'POST', '/api/models/Book/rows', { cookie, csrf, body: { values: { title: 'Forbidden', isbn: 'forbidden', pages: 1, inPrint: true } } })
    expect(refused.status).toBe(422)
    expect(refused.body.error.message).toMatch(/Forbidden is not a title we publish/)
    expect(created).toContain('Forbidden')
    // The insert ran before the observer threw; the transaction took it back.
    expect(await Book.query().where('isbn', 'forbidden').count()).toBe(0)
    expect(await Book.query().count()).toBe(before)

    const missing = await call(studio, 'POST', '/api/models/Book/rows', { cookie, csrf, body: { values: { isbn: 'no-title', pages: 1, inPrint: true } } })
    expect(missing.status).toBe(422)
    expect(missing.body.error.fields).toHaveProperty('title')
    expect(await Book.query().count()).toBe(before)
    expect((await call(studio, 'POST', '/api/models/Book/rows', { cookie, csrf, body: { title: 'no values wrapper' } })).status).toBe(400)
  })

  it('edits and deletes through the model', async () => {
    const edit = await call(studio, 'PATCH', '/api/models/Book/rows/2', { cookie, csrf, body: { values: { title: 'Renamed', meta: { tags: ['x', 'y'] } } } })
    expect(edit.status, JSON.stringify(edit.body)).toBe(200)
    expect((await Book.findOrFail(2)).title).toBe('Renamed')
    expect((await Book.findOrFail(2)).meta).toEqual({ tags: ['x', 'y'] })
    const key = await call(studio, 'PATCH', '/api/models/Book/rows/2', { cookie, csrf, body: { values: { id: 99 } } })
    expect(key.status).toBe(422)
    expect(key.body.error.fields.id).toMatch(/primary key cannot be changed/)
    const clash = await call(studio, 'PATCH', '/api/models/Book/rows/2', { cookie, csrf, body: { values: { isbn: 'isbn-3', title: 'Clash' } } })
    expect(clash.status).toBe(422)
    expect(clash.body.error.fields).toHaveProperty('isbn')
    expect((await Book.findOrFail(2)).title).toBe('Renamed')

    const removed = await call(studio, 'DELETE', '/api/models/Book/rows/2', { cookie, csrf })
    expect(removed.status).toBe(200)
    expect(await Book.find(2)).toBeNull()
    expect((await call(studio, 'DELETE', '/api/models/Book/rows/2', { cookie, csrf })).status).toBe(404)
  })

  it('lists the statements it ran with their durations, without their values', async () => {
    const all = await call(studio, 'GET', '/api/queries', { cookie })
    const statements = all.body.statements as Array<{ id: number; sql: string; durationMs: number }>
    expect(statements.length).toBeGreaterThan(5)
    expect(statements.some((s) => /studio_books/.test(s.sql) && /limit/i.test(s.sql))).toBe(true)
    for (const s of statements) {
      expect(typeof s.durationMs).toBe('number')
      expect(s).not.toHaveProperty('bindings')
    }
    const last = statements.at(-1)!.id
    await call(studio, 'GET', '/api/models/Book/rows/1', { cookie })
    const since = await call(studio, 'GET', `/api/queries?since=${last}`, { cookie })
    expect(since.body.statements.length).toBeGreaterThan(0)
    expect(since.body.statements.every((s: { id: number }) => s.id > last)).toBe(true)
  })
})
