import Table from 'cli-table3'
import picocolors from 'picocolors'

type Colors = ReturnType<typeof picocolors.createColors>

interface Stream {
  write(text: string): unknown
  isTTY?: boolean
}

/** Credentials in a URL (`//user:secret@`), so that no message ever prints one. */
const URL_PASSWORD = /(\/\/[^/:@\s]*:)[^@\s/]+@/g

/**
 * The CLI's printer: colours only when stdout is a terminal or FORCE_COLOR asks, and never with
 * NO_COLOR set (https://no-color.org); passwords blanked from everything printed.
 */
export class Output {
  readonly c: Colors

  constructor(
    private readonly stdout: Stream,
    private readonly stderr: Stream,
    env: NodeJS.ProcessEnv,
    private readonly secrets: readonly string[] = [],
  ) {
    const color = !env.NO_COLOR && (env.FORCE_COLOR ? env.FORCE_COLOR !== '0' : Boolean(stdout.isTTY))
    this.c = picocolors.createColors(color)
  }

  line(text = ''): void {
    this.stdout.write(`${this.redact(text)}\n`)
  }

  error(text: string): void {
    this.stderr.write(`${this.redact(text)}\n`)
  }

  /** Columns padded to their widest cell (laid out by cli-table3, without borders); `style` colours a cell. */
  table(headers: string[], rows: string[][], style?: (row: number, column: number, text: string) => string): void {
    const table = new Table({
      head: headers.map((h) => this.c.bold(h)),
      chars: BORDERLESS,
      style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0, compact: true },
    })
    rows.forEach((row, r) => table.push(row.map((cell, column) => (style ? style(r, column, cell) : cell))))
    for (const line of table.toString().split('\n')) this.line(line.trimEnd())
  }

  redact(text: string): string {
    let out = text.replace(URL_PASSWORD, '$1****@')
    for (const secret of this.secrets) if (secret.length >= 3) out = out.split(secret).join('****')
    return out
  }
}

/** `12 ms`, `1.4 s` */
export function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`
}

/** cli-table3's border characters, all blank: columns two spaces apart. */
const BORDERLESS = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
  bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', mid: '', 'mid-mid': '',
  right: '', 'right-mid': '', middle: '  ',
}
