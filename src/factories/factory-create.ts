import { QuarryError } from '../errors/index.js'
import type { Model } from '../model/model.js'
import { ModelAdapter } from '../model/model-adapter.js'
import { batchPlan, insertBatch } from './batch-insert.js'
import { preloadFaker } from './faker-loader.js'
import { buildModels, isFactory, modelCount, type Owner, settleLinks } from './factory-build.js'
import { checkOwnerModel, childAttributes, holdsOne } from './factory-links.js'
import type { Attrs, FactorySpec } from './factory-spec.js'

/**
 * `create()`: owners first (`for()`; one per run, shared by its models), then the models —
 * batched when nothing listens for their events and no `afterCreating` is set, else each through
 * `save()` — then their children (`has()`, `hasAttached()`), then `afterCreating`. All in one
 * transaction (a savepoint inside an open one): a failure leaves the database as it was.
 * `groups` holds the keys each parent's children take (one group per parent, `count` models each).
 */
export async function createModels(spec: FactorySpec, overrides: Attrs | undefined, groups: readonly Attrs[] = [{}]): Promise<Model[]> {
  settleLinks(spec)
  await preloadFaker()
  return ModelAdapter.connection(spec.meta).transaction(async () => {
    const owners: Owner[] = []
    for (const link of spec.links) {
      if (link.method !== 'for') continue
      const model = isFactory(link.owner)
        ? (await createModels({ ...link.owner.$spec, count: undefined }, undefined))[0]!
        : checkOwnerModel(link.relation, link.owner, true, 'for')
      owners.push({ relation: link.relation, model })
    }
    const { models, pending } = buildModels(spec, overrides, groups, owners)
    for (const promise of pending) await promise
    await persist(spec, models)
    for (const link of spec.links) {
      if (link.method === 'has') await createChildren(spec, models, link.relation, link.factory.$spec)
      if (link.method === 'hasAttached') await attach(models, link)
    }
    for (const model of models) {
      for (const callback of spec.afterCreating) await callback(model)
    }
    return models
  })
}

async function persist(spec: FactorySpec, models: readonly Model[]): Promise<void> {
  const plan = spec.afterCreating.length ? undefined : await batchPlan(spec.meta, models)
  if (plan) {
    await insertBatch(spec.meta, models, plan)
    return
  }
  for (let i = 0; i < models.length; i++) {
    if (!(await models[i]!.save())) {
      throw new QuarryError(`${spec.meta.name} factory: an event handler cancelled saving model ${i + 1} of ${models.length}; nothing was created`)
    }
  }
}

/** `has()`: `count` children per parent, all of them in one run of the child factory. */
async function createChildren(spec: FactorySpec, parents: readonly Model[], relation: Owner['relation'], child: FactorySpec): Promise<void> {
  const perParent = modelCount(child)
  if (holdsOne(relation) && perParent > 1) {
    throw new QuarryError(`${relation.label} is a ${relation.kind} relation: it holds one ${child.meta.name} per ${spec.meta.name}, so has() takes a factory without count(${perParent})`)
  }
  const children = await createModels(child, undefined, parents.map((parent) => childAttributes(relation, parent, child.meta)))
  parents.forEach((parent, i) => {
    const own = children.slice(i * perParent, (i + 1) * perParent)
    parent.$relations[relation.name] = holdsOne(relation) ? (own[0] ?? null) : own
  })
}

interface ManyToManyParent {
  related(name: string): { attach(ids: unknown, pivot?: unknown): Promise<void> }
}

/** `hasAttached()`: related models created (per parent, in one run) or given, attached with the pivot values. */
async function attach(parents: readonly Model[], link: Extract<FactorySpec['links'][number], { method: 'hasAttached' }>): Promise<void> {
  let created: Model[] | undefined
  let perParent = 0
  if (isFactory(link.related)) {
    perParent = modelCount(link.related.$spec)
    created = await createModels(link.related.$spec, undefined, parents.map(() => ({})))
  }
  for (let i = 0; i < parents.length; i++) {
    const parent = parents[i]!
    const related = created
      ? created.slice(i * perParent, (i + 1) * perParent)
      : (link.related as readonly Model[]).map((model) => checkOwnerModel(link.relation, model, true, 'hasAttached'))
    const pivot = typeof link.pivot === 'function' ? link.pivot(parent) : link.pivot
    await (parent as unknown as ManyToManyParent).related(link.relation.name).attach(related, pivot)
    parent.$relations[link.relation.name] = related
  }
}
