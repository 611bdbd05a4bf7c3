// Sample data for the blog: a few users, posts with tags, and comments, made through the models.
import { Seeder } from '../../src/index.js'
import { Comment, Post, Tag, User } from './models.js'

export class DatabaseSeeder extends Seeder {
  async run(): Promise<void> {
    const ada = await User.create({ email: 'ada@example.com', name: 'Ada', bio: 'Writes about engines.' })
    const alan = await User.create({ email: 'alan@example.com', name: 'Alan', bio: null })
    const grace = await User.create({ email: 'grace@example.com', name: 'Grace', bio: 'Compilers.' })
    const tags = new Map<string, Tag>()
    for (const name of ['typescript', 'databases', 'history']) tags.set(name, await Tag.create({ name }))

    const writers = [ada, alan, grace]
    for (let n = 1; n <= 12; n++) {
      const author = writers[n % writers.length]!
      const post = await Post.create({
        authorId: author.id,
        title: `Notes ${n}: ${n % 2 ? 'on databases' : 'on types'}`,
        body: `Post number ${n}.`,
        publishedAt: n <= 10 ? new Date(Date.UTC(2026, 0, n, 12)) : null,
      })
      const names = n % 2 ? ['databases'] : ['typescript']
      if (n % 3 === 0) names.push('history')
      await post.related('tags').attach(names.map((name) => tags.get(name)!.id))
      for (let c = 0; c < n % 4; c++) {
        await Comment.create({ postId: post.id, authorId: writers[(n + c + 1) % writers.length]!.id, body: `Comment ${c + 1} on post ${n}` })
      }
    }
  }
}
