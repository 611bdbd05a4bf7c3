// Model events and observers (API.md §5). Importing this installs the bus on the lifecycle seam.
export { eventHooks, listeners, listensTo } from './event-bus.js'
export {
  MODEL_EVENTS,
  type ModelEventName,
  type CancellableEventName,
  type WrittenEventName,
  type ModelEventHandler,
  type ModelObserver,
} from './model-events.js'
export { observe, type ObserverInput } from './observe.js'
export { withoutEvents } from './without-events.js'
