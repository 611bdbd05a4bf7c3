// `quarry studio` as a user runs it: a project with a config and a models directory, the command
// spawned, the printed URL opened over HTTP, Ctrl-C (SIGINT) ending it cleanly.
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect } from '../../src/index.js'
import { call } from './support.js'

const BIN = resolve(import.meta.dirname, '../../bin/quarry.js')
const NOTE = `import { column, Model, table } from 'quarry'

@table('notes')
export class Note extends Model {
  @column.primary() declare id: number
  @column() declare body: string
}
`

interface Running {
  url: Promise<string>
  stop(): Promise<{ code: number | null; stdout: string; stderr: string }>
}

function studio(cwd: string, args: string[]): Running {
  const env: Record<string, string | undefined> = { ...process.env, NODE_ENV: 'development', NO_COLOR: '1', FORCE_COLOR: undefined, DATABASE_URL: undefined }
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key]
  const child = spawn(process.execPath, [BIN, 'studio', ...args], { cwd, env: env as NodeJS.ProcessEnv })
  let stdout = ''
  let stderr = ''
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })))
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const found = /Open (http:\/\/\S+)/.exec(stdout)
      if (found) resolve(found[1]!)
    })
    void done.then((r) => reject(new Error(`exited (${r.code}) without a URL:\n${r.stdout}\n${r.stderr}`)))
  })
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return {
    url,
    stop: () => {
      child.kill('SIGINT')
      return done
    },
  }
}

function studioAt(url: string) {
  const parsed = new URL(url)
  return { origin: parsed.origin, token: parsed.searchParams.get('token')!, url, close: async () => {} }
}

describe('quarry studio (the command)', () => {
  let dir: string

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'quarry-studio-'))
    mkdirSync(join(dir, 'models'))
    writeFileSync(join(dir, 'models/note.ts'), NOTE)
    const file = join(dir, 'app.db')
    writeFileSync(join(dir, 'quarry.config.mjs'), `export default { connection: ${JSON.stringify(`sqlite:${file}`)}, models: { directory: 'models' } }\n`)
    const db = await connect(`sqlite:${file}`)
    try {
      await db.knex.schema.createTable('notes', (t) => {
        t.increments('id')
        t.string('body').notNullable()
      })
      await db.table('notes').insert([{ body: 'one' }, { body: 'two' }, { body: 'three' }])
    } finally {
      await db.close()
    }
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('serves the models on 127.0.0.1 with the token it prints, and stops on Ctrl-C', { timeout: 120_000 }, async () => {
    const running = studio(dir, ['--port', '0'])
    const url = await running.url
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/)
    const target = studioAt(url)
    expect((await call(target, 'GET', '/api/models')).status).toBe(401)
    const visit = await call(target, 'GET', `/?token=${target.token}`)
    const cookie = String(visit.headers['set-cookie']).split(';')[0]!
    const models = await call(target, 'GET', '/api/models', { cookie })
    expect(models.status).toBe(200)
    expect(models.body.models).toMatchObject([{ name: 'Note', table: 'notes', count: 3 }])
    const rows = await call(target, 'GET', '/api/models/Note/rows?sort=body', { cookie })
    expect(rows.body.rows.map((r: { body: string }) => r.body)).toEqual(['one', 'three', 'two'])
    const page = await call(target, 'GET', '/', { cookie })
    expect(page.body).toContain('<title>Quarry studio</title>')
    const r = await running.stop()
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('Quarry studio: 1 model from models')
    expect(r.stderr).toBe('')
  })

  it('--host off the loopback warns; --read-only refuses writes', { timeout: 120_000 }, async () => {
    const running = studio(dir, ['--port', '0', '--host', '127.0.0.2', '--read-only'])
    const url = await running.url
    expect(url).toMatch(/^http:\/\/127\.0\.0\.2:\d+\//)
    const target = studioAt(url)
    const visit = await call(target, 'GET', `/?token=${target.token}`)
    const cookie = String(visit.headers['set-cookie']).split(';')[0]!
    const session = await call(target, 'GET', '/api/session', { cookie })
    expect(session.body.readOnly).toBe(true)
    const write = await call(target, 'DELETE', '/api/models/Note/rows/1', { cookie, csrf: session.body.csrf })
    expect(write.status).toBe(403)
    // Bound to 127.0.0.2, the loopback names are foreign hosts.
    expect((await call(target, 'GET', '/api/models', { cookie, host: `localhost:${new URL(url).port}` })).status).toBe(403)
    const r = await running.stop()
    expect(r.code).toBe(0)
    expect(r.stderr).toContain('Warning: the studio listens on 127.0.0.2, not 127.0.0.1: other machines may reach it, and anyone with the URL can read the data.')
    expect(r.stdout).toContain(', read-only')
  })

  it('--port must be a port', { timeout: 120_000 }, async () => {
    const running = studio(dir, ['--port', 'http'])
    await expect(running.url).rejects.toThrow(/--port: expected a whole number from 0 to 65535/)
  })
})
