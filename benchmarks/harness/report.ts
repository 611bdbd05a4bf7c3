// The markdown report: what ran where, one table per database, the notes behind "—" and errors,
// and the speed targets.
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { DialectName } from './contestant.js'
import { GOALS } from './goals.js'
import type { DialectResult, RunResult } from './results.js'
import type { Cell } from './stats.js'

const DIALECT_LABEL: Record<DialectName, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL', mysql: 'MySQL / MariaDB' }

function ms(value: number): string {
  if (value >= 100) return value.toFixed(0)
  if (value >= 10) return value.toFixed(1)
  return value.toFixed(2)
}

function oneLine(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim()
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean
}

function formatCell(cell: Cell | undefined, note: (text: string) => void): string {
  if (!cell) return ''
  if (cell.status === 'unsupported') {
    if (cell.message) note(`— ${oneLine(cell.message, 400)}`)
    return '—'
  }
  if (cell.status === 'error' || !cell.time) {
    const message = cell.message ?? 'no result'
    if (message.length > 60) note(`error: ${oneLine(message, 400)}`)
    return `error: ${oneLine(message, 60)}`
  }
  const t = cell.time
  let text = `${ms(t.median)} ms (${ms(t.min)}–${ms(t.max)})`
  if (cell.ratio) text += ` · **${cell.ratio.median.toFixed(2)}×**`
  if (cell.heapMb !== undefined) text += ` · ${cell.heapMb.toFixed(0)} MB`
  return text
}

function dialectSection(d: DialectResult, run: RunResult): string[] {
  const title = `## ${DIALECT_LABEL[d.dialect]}${d.server ? ` (${d.server})` : ''}`
  if (d.skipped) return [title, '', `Not run: ${d.skipped}`, '']
  const columns = run.contestants
  const lines = [
    title,
    '',
    `| workload | ${columns.map((c) => c.label).join(' | ')} |`,
    `| --- |${columns.map(() => ' ---: |').join('')}`,
  ]
  // Notes by contestant and text, so one error repeated on every workload is listed once.
  const notes = new Map<string, { label: string; text: string; workloads: string[] }>()
  for (const w of d.workloads) {
    const cells = columns.map((c) => formatCell(w.cells[c.name], (text) => {
      const key = `${c.name}\u0000${text}`
      const note = notes.get(key) ?? notes.set(key, { label: c.label, text, workloads: [] }).get(key)!
      note.workloads.push(w.spec.id)
    }))
    lines.push(`| ${w.spec.title(w.size)} | ${cells.join(' | ')} |`)
  }
  lines.push('')
  if (notes.size) {
    for (const n of notes.values()) lines.push(`- ${n.label}, ${n.workloads.length === d.workloads.length ? 'every workload' : n.workloads.join(', ')}: ${n.text}`)
    lines.push('')
  }
  return lines
}

function goalsSection(run: RunResult): string[] {
  const dialects = run.dialects.filter((d) => !d.skipped && (d.dialect === 'sqlite' || d.dialect === 'postgres'))
  if (!dialects.length) return []
  const lines = [
    '## Targets (issues 3, 4 and 8)',
    '',
    `| target | ${dialects.map((d) => DIALECT_LABEL[d.dialect]).join(' | ')} |`,
    `| --- |${dialects.map(() => ' --- |').join('')}`,
  ]
  for (const goal of GOALS) {
    if (!dialects.some((d) => goal.dialects.includes(d.dialect))) continue
    const cells = dialects.map((d) => {
      if (!goal.dialects.includes(d.dialect)) return 'n/a'
      const { verdict, detail } = goal.check(d)
      const mark = verdict === 'met' ? '✅ met' : verdict === 'missed' ? '❌ missed' : '… not measured'
      return `${mark}: ${oneLine(detail, 500)}`
    })
    lines.push(`| ${goal.text} | ${cells.join(' | ')} |`)
  }
  lines.push('')
  return lines
}

/** The whole report as markdown. */
export function renderReport(run: RunResult): string {
  const m = run.machine
  const first = run.dialects.find((d) => d.workloads.length)?.workloads[0]
  const rounds = first ? `${first.warmup} warm-up + ${first.rounds} measured rounds (the stream: fewer)` : ''
  const lines = [
    '# Benchmark results',
    '',
    `- **Run**: ${run.started.toISOString().replace('T', ' ').slice(0, 16)} UTC, \`${run.command}\`${run.quick ? ' — **quick mode**: smaller sizes, fewer rounds' : ''}, ${Math.round(run.seconds)} s`,
    `- **Machine**: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}; load average ${run.loadAtStart.toFixed(1)} at the start, ${run.loadAtEnd.toFixed(1)} at the end${run.loadAtStart > m.cores / 2 || run.loadAtEnd > m.cores / 2 ? ' — **the machine was busy: numbers are noisy**' : ''}`,
    `- **Node** ${m.node}; ${run.versions.map(([name, version]) => `${name} ${version}`).join(', ')}`,
    `- **Method**: each contestant in its own process per workload; ${rounds}, interleaved round by round in rotating order. A cell is the median time (min–max), then **the median of the per-round ratios to knex** (lower is faster), then for the stream the peak heap. "—": the contestant has no equivalent. See docs/benchmarks.md.`,
    '',
  ]
  for (const d of run.dialects) lines.push(...dialectSection(d, run))
  lines.push(...goalsSection(run))
  lines.push(...findingsSection())
  return lines.join('\n')
}

/**
 * `benchmarks/FINDINGS.md`, written by hand from profiles: where the time goes in each target the
 * runs miss, what was done about it and what would close the rest. A run carries it along, so the
 * report never shows a missed target without its explanation.
 */
function findingsSection(): string[] {
  const file = fileURLToPath(new URL('../FINDINGS.md', import.meta.url))
  if (!existsSync(file)) return []
  return ['', readFileSync(file, 'utf8').trimEnd(), '']
}
