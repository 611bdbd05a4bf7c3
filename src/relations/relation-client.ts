import { QuarryError } from '../errors/index.js'
import type { Model } from '../model/model.js'
import type { ModelQuery } from '../model/model-query.js'
import type { Relation } from './relation.js'
import type { PivotValues, SyncResult } from './relation-types.js'

const WRITES: Record<string, string> = {
  create: 'hasOne, hasMany, morphOne, morphMany and many-to-many relations',
  createMany: 'hasOne, hasMany, morphOne, morphMany and many-to-many relations',
  save: 'hasOne, hasMany, morphOne, morphMany and many-to-many relations',
  saveMany: 'hasOne, hasMany, morphOne, morphMany and many-to-many relations',
  associate: 'belongsTo and morphTo relations',
  dissociate: 'belongsTo and morphTo relations',
  attach: 'belongsToMany, morphToMany and morphedByMany relations',
  detach: 'belongsToMany, morphToMany and morphedByMany relations',
  sync: 'belongsToMany, morphToMany and morphedByMany relations',
  toggle: 'belongsToMany, morphToMany and morphedByMany relations',
  updatePivot: 'belongsToMany, morphToMany and morphedByMany relations',
}

/**
 * What `model.related(name)` returns: the related rows of one parent as a query, and the writes
 * the relation type allows. Each relation type's client overrides the writes it supports; the
 * others throw, naming the relation types that have them (the types of `related()` offer only
 * the right ones, so this is reached only through an unbranded declaration).
 */
export class RelationClient {
  constructor(
    protected readonly relation: Relation,
    protected readonly parent: Model,
  ) {}

  /** The related rows of this parent: `await user.related('posts').query().where('published', true)`. */
  query(): ModelQuery<Model> {
    return this.relation.queryFor(this.parent)
  }

  protected unsupported(method: string): never {
    throw new QuarryError(`${this.relation.label} is a ${this.relation.kind} relation; ${method}() is for ${WRITES[method]}`)
  }

  async create(_attributes: object, _pivot?: PivotValues): Promise<Model> {
    return this.unsupported('create')
  }

  async createMany(_rows: readonly object[], _pivot?: PivotValues): Promise<Model[]> {
    return this.unsupported('createMany')
  }

  async save(_model: Model, _pivot?: PivotValues): Promise<Model> {
    return this.unsupported('save')
  }

  async saveMany(_models: readonly Model[], _pivot?: PivotValues): Promise<Model[]> {
    return this.unsupported('saveMany')
  }

  async associate(_owner: Model): Promise<void> {
    return this.unsupported('associate')
  }

  async dissociate(): Promise<void> {
    return this.unsupported('dissociate')
  }

  async attach(_ids: unknown, _pivot?: PivotValues): Promise<void> {
    return this.unsupported('attach')
  }

  async detach(_ids?: unknown): Promise<number> {
    return this.unsupported('detach')
  }

  async sync(_ids: unknown, _detaching?: boolean): Promise<SyncResult> {
    return this.unsupported('sync')
  }

  async toggle(_ids: unknown): Promise<{ attached: unknown[]; detached: unknown[] }> {
    return this.unsupported('toggle')
  }

  async updatePivot(_id: unknown, _values: PivotValues): Promise<number> {
    return this.unsupported('updatePivot')
  }
}
