export {
  hasOne,
  hasMany,
  belongsTo,
  belongsToMany,
  morphOne,
  morphMany,
  morphToMany,
  morphedByMany,
  hasManyThrough,
  hasOneThrough,
  morphTo,
  type RelationDecorator,
  type RelatedThunk,
} from './decorators.js'
export type {
  HasOne,
  HasMany,
  BelongsTo,
  BelongsToMany,
  HasOneThrough,
  HasManyThrough,
  MorphOne,
  MorphMany,
  MorphTo,
  MorphToMany,
  MorphedByMany,
  RelationKind,
  RelatedModel,
  RelationPath,
  RelatedAt,
  RelatedQuery,
  RelationConstraint,
  RelatedClient,
  HasManyClient,
  HasOneClient,
  BelongsToClient,
  BelongsToManyClient,
  MorphToClient,
  ThroughClient,
  AnyRelationClient,
  PivotValues,
  SyncResult,
} from './relation-types.js'
export type { HasOneOrManyOptions, MorphOneOrManyOptions } from './has-one-or-many/has-one-or-many.js'
export type { BelongsToOptions } from './belongs-to/belongs-to.js'
export type { BelongsToManyOptions } from './belongs-to-many/belongs-to-many.js'
export type { ThroughOptions } from './through/has-many-through.js'
export type { MorphToOptions } from './morph-to/morph-to.js'
