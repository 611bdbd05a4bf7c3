// Runs the blog API: `npm run example:blog` (SQLite file ./blog.sqlite), or with DATABASE_URL set.
// Migrates, seeds an empty database when started with --seed, and stops on SIGINT/SIGTERM once
// the requests in flight are answered (the process then exits by itself).
import { Migrator, runSeeder } from '../../src/index.js'
import { buildApp } from './app.js'
import { migrations } from './migrations.js'
import { Post } from './models.js'
import { DatabaseSeeder } from './seeders.js'

const app = await buildApp({
  config: process.env.DATABASE_URL ?? 'sqlite:./blog.sqlite',
  ...(process.env.BASE_URL ? { baseUrl: process.env.BASE_URL } : {}),
})
await new Migrator(app.quarry, { bundled: migrations }).latest()
if (process.argv.includes('--seed') && (await Post.query().count()) === 0) await runSeeder(app.quarry, DatabaseSeeder)

const address = await app.listen({ host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 3000) })
console.log(`blog-api listening on ${address}`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`${signal}: closing`)
    void app.close().then(() => console.log('closed'))
  })
}
