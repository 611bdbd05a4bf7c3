import { QuarryError } from '../../errors/index.js'
import type { ModelMetadata } from '../../model/model-metadata.js'
import type { Constraint } from '../relation.js'
import { checkPath } from '../relation-lookup.js'

/** One `with()` request: a dotted path and the constraint on its last relation. */
export interface EagerRequest {
  readonly path: string
  readonly constrain: Constraint
}

/** One relation to load, with the constraint on its query and the relations to load under it. */
export interface EagerNode {
  readonly name: string
  constrain: Constraint
  readonly children: Map<string, EagerNode>
}

/**
 * The requests of `with(...)` / `load(...)`, checked against the model now (an unknown name
 * throws `RelationNotFoundError` before any SQL): `('posts')`, `('posts', 'profile')`,
 * `(['posts', 'profile'])` or `('posts', (q) => …)`.
 */
export function eagerRequests(meta: ModelMetadata, args: readonly unknown[], method: string): EagerRequest[] {
  if (args.length === 2 && typeof args[0] === 'string' && typeof args[1] === 'function') {
    checkPath(meta, args[0])
    return [{ path: args[0], constrain: args[1] as Constraint }]
  }
  const paths = args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : args
  if (!paths.length) throw new QuarryError(`${method}() needs at least one relation name`)
  return paths.map((path) => {
    if (typeof path !== 'string') {
      throw new QuarryError(`${method}() takes relation names (or one name and a constraint callback), got ${typeof path}`)
    }
    checkPath(meta, path)
    return { path, constrain: undefined }
  })
}

/**
 * The requests as a tree: `posts.comments` and `posts.author` load `posts` once, with both under
 * it. A constraint applies to the last relation of its path; given twice for one relation, the
 * later wins.
 */
export function eagerTree(requests: readonly EagerRequest[]): Map<string, EagerNode> {
  const root = new Map<string, EagerNode>()
  for (const request of requests) {
    const segments = request.path.split('.')
    let level = root
    segments.forEach((name, index) => {
      let node = level.get(name)
      if (!node) level.set(name, (node = { name, constrain: undefined, children: new Map() }))
      if (index === segments.length - 1 && request.constrain) node.constrain = request.constrain
      level = node.children
    })
  }
  return root
}
