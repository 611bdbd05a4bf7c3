// TypeORM entities in the active-record style (BaseEntity), over the benchmark's tables.
import { BaseEntity, Column, Entity, JoinColumn, ManyToOne, OneToMany, PrimaryGeneratedColumn, VirtualColumn } from 'typeorm'

@Entity('users')
export class User extends BaseEntity {
  @PrimaryGeneratedColumn() declare id: number
  @Column({ type: 'varchar', length: 100 }) declare name: string
  @Column({ type: 'varchar', length: 100 }) declare email: string
  @Column({ type: 'integer' }) declare age: number
  @Column({ type: 'boolean' }) declare active: boolean
  @OneToMany(() => Post, (post) => post.user) declare posts: Post[]
}

/**
 * Users with their number of posts. TypeORM 1 removed `loadRelationCountAndMap`; its upgrade guide
 * points to `@VirtualColumn` with a sub-query, which runs on every query of its entity, so it
 * lives on an entity of its own rather than slowing User's other workloads down.
 */
@Entity('users')
export class UserWithPostsCount extends BaseEntity {
  @PrimaryGeneratedColumn() declare id: number
  @Column({ type: 'varchar', length: 100 }) declare name: string
  @Column({ type: 'varchar', length: 100 }) declare email: string
  @Column({ type: 'integer' }) declare age: number
  @Column({ type: 'boolean' }) declare active: boolean
  @VirtualColumn({ type: 'integer', query: (alias) => `select count(*) from posts where posts.user_id = ${alias}.id` })
  declare postsCount: number
}

@Entity('posts')
export class Post extends BaseEntity {
  @PrimaryGeneratedColumn() declare id: number
  @Column({ name: 'user_id', type: 'integer' }) declare userId: number
  @Column({ type: 'varchar', length: 100 }) declare title: string
  @ManyToOne(() => User, (user) => user.posts) @JoinColumn({ name: 'user_id' }) declare user: User
  @OneToMany(() => Comment, (comment) => comment.post) declare comments: Comment[]
}

@Entity('comments')
export class Comment extends BaseEntity {
  @PrimaryGeneratedColumn() declare id: number
  @Column({ name: 'post_id', type: 'integer' }) declare postId: number
  @Column({ type: 'varchar', length: 100 }) declare body: string
  @ManyToOne(() => Post, (post) => post.comments) @JoinColumn({ name: 'post_id' }) declare post: Post
}

@Entity('new_users')
export class NewUser extends BaseEntity {
  @PrimaryGeneratedColumn() declare id: number
  @Column({ type: 'varchar', length: 100 }) declare name: string
  @Column({ type: 'varchar', length: 100 }) declare email: string
  @Column({ type: 'integer' }) declare age: number
  @Column({ type: 'boolean' }) declare active: boolean
}

@Entity('readings')
export class Reading extends BaseEntity {
  @PrimaryGeneratedColumn() declare id: number
  @Column({ type: 'integer' }) declare sensor: number
  @Column({ type: 'integer' }) declare value: number
  @Column({ type: 'varchar', length: 32 }) declare label: string
}
