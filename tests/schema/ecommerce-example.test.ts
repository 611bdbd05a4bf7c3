import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { expect, it } from 'vitest'
import { forEachDialect } from '../support/databases.js'

const ROOT = resolve(import.meta.dirname, '../..')

/** `npm run example:ecommerce` against the test database: its committed migrations, then an order. */
function runExample(url: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', './scripts/register-ts.js', 'examples/ecommerce/run.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url },
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })))
}

forEachDialect('examples/ecommerce', (ctx) => {
  it('its generated migrations build a database that matches its models, and the script places an order', { timeout: 120_000 }, async () => {
    const result = await runExample(ctx.target.url)
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('The database matches the models.')
    expect(result.stdout).toContain('Order 1 (pending) for Ada: 2 × Blue mug [gift, kitchen], paid 25.00 by card')
    expect(result.stdout).toContain('Categories: Shop > Mugs (mugs)')
  })
})
