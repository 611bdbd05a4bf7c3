// Model factories (API.md §12): fake models for tests and seeders.
export { defineFactory } from './define-factory.js'
export { Factory } from './factory.js'
export type {
  FactoryContext,
  FactoryAttributes,
  FactoryDefinition,
  StateDefinition,
  SequenceItem,
  PivotInput,
  LinkRelation,
  LinkKinds,
  OneOrMany,
} from './factory-types.js'
