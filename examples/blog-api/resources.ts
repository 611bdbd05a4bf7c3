// How the blog's models are shown as JSON.
import { defineResource } from '../../src/index.js'
import type { Comment, Post, Tag, User } from './models.js'

export const AuthorResource = defineResource((user: User) => ({
  id: user.id,
  name: user.name,
}))

export const UserResource = defineResource((user: User, r) => ({
  id: user.id,
  name: user.name,
  bio: user.bio,
  joinedAt: user.createdAt,
  postsCount: r.whenCounted('posts'),
}))

export const TagResource = defineResource((tag: Tag) => ({ id: tag.id, name: tag.name }))

export const CommentResource = defineResource((comment: Comment, r) => ({
  id: comment.id,
  body: comment.body,
  author: r.whenLoaded('author', AuthorResource),
  createdAt: comment.createdAt,
}))

/** A post in a list: its summary, author and tags, and how many comments it has. */
export const PostSummaryResource = defineResource((post: Post, r) => ({
  id: post.id,
  slug: post.slug,
  title: post.title,
  publishedAt: post.publishedAt,
  author: r.whenLoaded('author', AuthorResource),
  tags: r.whenLoaded('tags', TagResource),
  commentsCount: r.whenCounted('comments'),
}))

/** One post: the summary plus its body and, when loaded, its comments. */
export const PostResource = defineResource((post: Post, r) => ({
  ...PostSummaryResource.make(post),
  body: post.body,
  comments: r.whenLoaded('comments', CommentResource),
}))
