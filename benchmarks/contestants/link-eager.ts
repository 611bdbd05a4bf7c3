// The hand-written half of "eager loading" that the raw-driver and knex contestants share: group
// comments by post and posts by user with Maps, attach them, and count the comments reached.

interface UserShape { id: number; posts?: PostShape[] }
interface PostShape { id: number; user_id: number; comments?: unknown[] }
interface CommentShape { post_id: number }

function groupBy<T>(rows: readonly T[], key: (row: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>()
  for (const row of rows) {
    const k = key(row)
    const list = groups.get(k)
    if (list) list.push(row)
    else groups.set(k, [row])
  }
  return groups
}

/** Links `posts` onto `users` and `comments` onto posts; returns the number of comments reached. */
export function linkEager(users: UserShape[], posts: PostShape[], comments: CommentShape[]): number {
  const commentsByPost = groupBy(comments, (c) => c.post_id)
  for (const post of posts) post.comments = commentsByPost.get(post.id) ?? []
  const postsByUser = groupBy(posts, (p) => p.user_id)
  let reached = 0
  for (const user of users) {
    user.posts = postsByUser.get(user.id) ?? []
    for (const post of user.posts) reached += post.comments!.length
  }
  return reached
}
