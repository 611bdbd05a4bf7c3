// Messages between the orchestrator and a contestant's child process.
import type { BenchTarget, WorkloadId } from './contestant.js'

export interface ChildConfig {
  /** The contestant module's file URL. */
  module: string
  target: BenchTarget
  workload: WorkloadId
  size: number
}

export type ParentMessage = { type: 'run'; tag: string } | { type: 'close' }

export type ChildMessage =
  | { type: 'ready'; supported: boolean; reason?: string | undefined }
  | { type: 'failed'; error: string }
  | { type: 'result'; ms: number; value: number | null; heapMb?: number | undefined }
  | { type: 'error'; error: string }
