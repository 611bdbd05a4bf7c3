// `node --import quarry/register app.ts`: run TypeScript with decorators and their metadata.
import { register } from 'node:module'

register('./hooks.js', import.meta.url)
