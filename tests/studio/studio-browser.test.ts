// The studio in a real browser: playwright-core driving Debian's Chromium (/usr/bin/chromium, or
// QUARRY_CHROMIUM). Under CI=true a missing browser fails the run; elsewhere it is a loud skip.
// The sqlite run takes the screenshots docs/studio.md shows; with QUARRY_SCREENSHOTS=1 it writes
// them to docs/images (otherwise to a temp dir, so a test run leaves the tree as it was).
import { existsSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startStudio, type Studio } from '../../src/studio/index.js'
import { forEachDialect } from '../support/databases.js'
import { type Author, Book, MODELS, seed } from './fixtures/models.js'

const CHROMIUM = process.env.QUARRY_CHROMIUM ?? '/usr/bin/chromium'
const SCREENSHOTS = process.env.QUARRY_SCREENSHOTS ? resolve(import.meta.dirname, '../../docs/images') : join(tmpdir(), 'quarry-studio-screenshots')
const FOREIGN = 'rebind.quarry.test'
const ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run',
  // A name that resolves to the studio, as a DNS-rebinding attacker's domain would.
  `--host-resolver-rules=MAP ${FOREIGN} 127.0.0.1`,
]

if (!existsSync(CHROMIUM) && process.env.CI !== 'true') {
  describe('studio in a browser', () => {
    it(`needs Chromium at ${CHROMIUM}`, (test) => {
      const reason = `NO BROWSER: ${CHROMIUM} is missing, so the studio's browser tests did not run. Install it: apt-get install -y chromium (CI=true makes this a failure)`
      console.warn(`\n*** ${reason} ***\n`)
      test.skip(reason)
    })
  })
} else {
  forEachDialect('studio in a browser', (ctx) => {
    let browser: Browser
    let studio: Studio
    let readOnly: Studio
    let ada: Author
    let page: Page
    const pageErrors: string[] = []

    beforeAll(async () => {
      if (!existsSync(CHROMIUM)) throw new Error(`CI=true and no browser at ${CHROMIUM}: install it with apt-get install -y chromium (.ci/run does)`)
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS })
      ;({ ada } = await seed(ctx.db))
      studio = await startStudio({ db: ctx.db, models: MODELS, port: 0 })
      readOnly = await startStudio({ db: ctx.db, models: MODELS, port: 0, readOnly: true })
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
      page = await context.newPage()
      page.on('dialog', (dialog) => void dialog.accept())
      page.on('pageerror', (error) => pageErrors.push(error.message))
      page.on('console', (message) => {
        // A refused request (the 422 of the unique-violation test) is logged by the browser; not a script error.
        if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) pageErrors.push(message.text())
      })
    }, 60_000)
    afterAll(async () => {
      await browser?.close()
      await studio?.close()
      await readOnly?.close()
    })

    const shoot = async (name: string) => {
      if (ctx.dialect !== 'sqlite') return
      mkdirSync(SCREENSHOTS, { recursive: true })
      await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: false })
    }

    it('refuses the page without the token', async () => {
      const other = await browser.newPage()
      const answer = await other.goto(`${studio.origin}/`)
      expect(answer?.status()).toBe(401)
      expect(await other.textContent('body')).toContain('No studio token')
      await other.close()
    })

    it('refuses the page under a foreign host name that resolves to it (DNS rebinding)', async () => {
      const other = await browser.newPage()
      const port = new URL(studio.origin).port
      const answer = await other.goto(`http://${FOREIGN}:${port}/?token=${studio.token}`)
      expect(answer?.status()).toBe(403)
      expect(await other.textContent('body')).toContain('E_STUDIO_HOST')
      await other.close()
    })

    it('opens with the printed URL, drops the token from the address bar and lists the models with counts', async () => {
      await page.goto(studio.url)
      expect(page.url()).toBe(`${studio.origin}/`)
      await expect.poll(() => page.textContent('[data-testid=count-Book]')).toBe('12')
      expect(await page.textContent('[data-testid=count-Author]')).toBe('2')
      const cookies = await page.context().cookies()
      expect(cookies[0]).toMatchObject({ httpOnly: true, sameSite: 'Strict', value: studio.token })
      // The page's script cannot read the token.
      expect(await page.evaluate(() => (globalThis as unknown as { document: { cookie: string } }).document.cookie)).toBe('')
    })

    it('pages, sorts and filters the rows of a model', async () => {
      await page.click('a[data-model=Book]')
      await page.waitForSelector('[data-testid=rows]')
      expect(await page.textContent('[data-testid=page-info]')).toBe('Page 1 of 1 · 12 rows')
      expect(await page.locator('[data-testid=row]').count()).toBe(12)
      await page.click('[data-testid=sort-pages]')
      await page.waitForURL(/sort=pages/)
      await page.click('[data-testid=sort-pages]')
      await page.waitForURL(/direction=desc/)
      await expect.poll(() => page.locator('[data-testid=row] td:nth-child(5)').first().textContent()).toBe('120')
      await page.selectOption('[data-testid=filter-op-title]', 'contains')
      await page.fill('[data-testid=filter-value-title]', 'notes 1')
      await page.fill('[data-testid=filter-from-pages]', '105')
      await page.click('[data-testid=apply-filters]')
      await expect.poll(() => page.textContent('[data-testid=page-info]')).toBe('Page 1 of 1 · 2 rows')
      const titles = await page.locator('[data-testid=row] td:nth-child(3)').allTextContents()
      expect(titles).toEqual(['Notes 12', 'Notes 11'])
      // JSON is folded; a click unfolds it.
      await expect.poll(() => page.locator('[data-testid=row] details summary').first().textContent()).toBe('{…}')
      await shoot('studio-rows')
      await page.goto(`${studio.origin}/#/m/Book?perPage=5&page=2`)
      await expect.poll(() => page.textContent('[data-testid=page-info]')).toBe('Page 2 of 3 · 12 rows')
      await page.click('[data-testid=next]')
      await expect.poll(() => page.locator('[data-testid=row]').count()).toBe(2)
    })

    it('opens a row with its relations as links, and follows them', async () => {
      await page.goto(`${studio.origin}/#/m/Book/r/3`)
      await page.waitForSelector('[data-testid=relation-author]')
      expect(await page.textContent('[data-testid=relation-author]')).toBe(`Author #${ada.id}`)
      await page.click('[data-testid=relation-author]')
      await page.waitForSelector('[data-testid=relation-books] table')
      expect(await page.inputValue('[data-testid=field-name]')).toBe('Ada')
      // The hidden password is never on the page, not even in the form.
      expect(await page.inputValue('[data-testid=field-password]')).toBe('')
      expect(await page.content()).not.toContain('s3cret')
      const books = page.locator('[data-testid=relation-books]')
      expect(await books.locator('tr.row').count()).toBe(10)
      expect(await books.textContent()).toContain('Page 1 of 2 · 12 rows')
      await books.locator('button', { hasText: '›' }).click()
      await expect.poll(() => books.locator('tr.row').count()).toBe(2)
      await shoot('studio-row')
    })

    it('edits a row through the model, and shows a constraint error beside its field', async () => {
      await page.goto(`${studio.origin}/#/m/Book/r/4`)
      await page.waitForSelector('[data-testid=field-title]')
      await page.fill('[data-testid=field-title]', 'Edited in the studio')
      await page.click('[data-testid=save]')
      await page.waitForSelector('[data-testid=flash]')
      expect(await page.textContent('[data-testid=flash]')).toBe('Saved')
      expect((await Book.findOrFail(4)).title).toBe('Edited in the studio')
      expect(await page.inputValue('[data-testid=field-title]')).toBe('Edited in the studio')
      await page.fill('[data-testid=field-isbn]', 'isbn-5')
      await page.click('[data-testid=save]')
      await expect.poll(() => page.textContent('[data-testid=error-isbn]')).toMatch(/unique/i)
      expect((await Book.findOrFail(4)).isbn).toBe('isbn-4')
    })

    it('creates a row with typed inputs, then deletes it', async () => {
      await page.goto(`${studio.origin}/#/m/Book`)
      await page.click('[data-testid=new-row]')
      await page.waitForSelector('[data-testid=field-title]')
      await page.fill('[data-testid=field-authorId]', String(ada.id))
      await page.fill('[data-testid=field-title]', 'Made in a browser')
      await page.fill('[data-testid=field-isbn]', 'browser-1')
      await page.fill('[data-testid=field-pages]', '42')
      await page.selectOption('[data-testid=field-inPrint]', 'true')
      await page.fill('[data-testid=field-meta]', '{"tags":["web"]}')
      await page.fill('[data-testid=field-publishedOn]', '2025-03-04')
      await page.click('[data-testid=save]')
      await page.waitForURL(/#\/m\/Book\/r\/\d+$/)
      expect(await page.textContent('[data-testid=flash]')).toMatch(/^Created Book #\d+$/)
      const made = await Book.query().where('isbn', 'browser-1').firstOrFail()
      expect(made).toMatchObject({ title: 'Made in a browser', pages: 42, inPrint: true, meta: { tags: ['web'] } })
      expect(made.publishedOn?.toISOString().slice(0, 10)).toBe('2025-03-04')
      await page.waitForSelector('[data-testid=delete]')
      await page.click('[data-testid=delete]')
      await page.waitForURL(/#\/m\/Book$/)
      expect(await Book.find(made.id)).toBeNull()
    })

    it('shows the statements it ran with their durations', async () => {
      await expect.poll(() => page.locator('#statements li').count()).toBeGreaterThan(3)
      const text = await page.textContent('#statements')
      expect(text).toMatch(/studio_books/)
      expect(text).toMatch(/\d ms/)
    })

    it('ran without a script error on the page', () => {
      expect(pageErrors).toEqual([])
    })

    it('refuses a write without the CSRF header, even from the page itself', async () => {
      const status = await page.evaluate(async () => (await fetch('/api/models/Book/rows/1', { method: 'DELETE' })).status)
      expect(status).toBe(403)
      expect(await Book.find(1)).not.toBeNull()
    })

    it('read-only: no forms, no new-row button, and a write is refused', async () => {
      const other = await browser.newPage()
      await other.goto(readOnly.url)
      await other.waitForSelector('[data-testid=models]')
      expect(await other.textContent('#mode')).toBe('read-only')
      await other.goto(`${readOnly.origin}/#/m/Book`)
      await other.waitForSelector('[data-testid=rows]')
      expect(await other.locator('[data-testid=new-row]').count()).toBe(0)
      await other.goto(`${readOnly.origin}/#/m/Book/r/1`)
      await other.waitForSelector('[data-testid=record]')
      expect(await other.locator('[data-testid=record-form]').count()).toBe(0)
      const answer = await other.evaluate(async () => {
        const session = (await (await fetch('/api/session')).json()) as { csrf: string }
        const response = await fetch('/api/models/Book/rows/1', { method: 'DELETE', headers: { 'x-quarry-csrf': session.csrf } })
        return { status: response.status, body: await response.json() }
      })
      expect(answer).toMatchObject({ status: 403, body: { error: { code: 'E_STUDIO_READ_ONLY' } } })
      await other.close()
    })
  }, { only: ['sqlite', 'postgres'], because: 'the page is the same on every dialect; the API tests cover the others' })
}
