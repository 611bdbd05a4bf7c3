import type { Database } from '../connection/database.js'
import { QuarryError } from '../errors/index.js'
import { loadConfig, type LoadedConfig } from './config-loader.js'
import { Output } from './output.js'

/** Options every database command takes. */
export interface DatabaseOptions {
  config?: string
  connection?: string
  verbose?: boolean
}

/** What a command runs with: where it is, its environment, and the printer. */
export class CliContext {
  readonly out: Output

  constructor(
    readonly cwd: string,
    readonly env: NodeJS.ProcessEnv,
    stdout: { write(text: string): unknown; isTTY?: boolean },
    stderr: { write(text: string): unknown },
  ) {
    this.out = new Output(stdout, stderr, env, secretsOf(env.DATABASE_URL))
  }

  config(options: DatabaseOptions): Promise<LoadedConfig> {
    return loadConfig(this.cwd, options.config, this.env)
  }

  /** Connects as the config says, runs `fn`, and always closes the connections. */
  async withDatabase<T>(options: DatabaseOptions, fn: (db: Database, config: LoadedConfig) => Promise<T>): Promise<T> {
    const config = await this.config(options)
    // Loaded here, so that --help, --version and make: never load knex and the drivers.
    const { connect } = await import('../connection/connect.js')
    const db = await connect(config.connect)
    try {
      const connection = db.connection(options.connection)
      this.out.line(this.out.c.dim(`Connection ${connection.name}: ${connection.config.driver} ${connection.config.write.label}`))
      return await fn(db, config)
    } finally {
      await db.close()
    }
  }

  /** Refuses a destructive command under NODE_ENV=production unless --force. */
  guardProduction(command: string, what: string, force: boolean | undefined): void {
    if (this.env.NODE_ENV === 'production' && !force) {
      throw new QuarryError(`Refusing to run ${command} with NODE_ENV=production: it ${what}. Add --force if you mean it.`)
    }
  }
}

/** The password of a URL, to blank wherever it might be echoed. */
function secretsOf(url: string | undefined): string[] {
  if (!url) return []
  try {
    const password = new URL(url).password
    return password ? [decodeURIComponent(password), password] : []
  } catch {
    return []
  }
}
