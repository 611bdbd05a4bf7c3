import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, sep } from 'node:path'
import type { Command } from 'commander'
import { QuarryError } from '../../errors/index.js'
import { declaredColumns, factoryTemplate } from '../../factories/factory-template.js'
import type { CliContext } from '../cli-context.js'
import { kebab, pascal } from '../names.js'

const MODEL_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs']

/** `make:factory User`: a factory for a model of `models.directory`, in `factories.directory`. */
export function registerMakeFactoryCommand(program: Command, ctx: CliContext): void {
  program
    .command('make:factory')
    .description('create a model factory (fake data for tests and seeders)')
    .argument('<Model>', 'the model class, e.g. User (UserFactory works too)')
    .option('--force', 'overwrite an existing factory file')
    .option('--config <path>', 'the config file (default: quarry.config.ts/.js/.mjs here)')
    .action(async (name: string, options: { config?: string; force?: boolean }) => {
      const config = await ctx.config(options)
      const className = modelName(name)
      const model = findModelFile(config.modelsDirectory, className)
      const extension = config.typescript ? 'ts' : 'mjs'
      const file = join(config.factoriesDirectory, `${kebab(className)}-factory.${extension}`)
      if (existsSync(file) && !options.force) throw new QuarryError(`${file} already exists; add --force to overwrite it`)
      const source = readFileSync(model, 'utf8')
      if (!new RegExp(`export\\s+(?:default\\s+)?class\\s+${className}\\b`).test(source)) {
        throw new QuarryError(`${model} does not export a class named ${className}`)
      }
      mkdirSync(dirname(file), { recursive: true })
      writeFileSync(file, factoryTemplate(className, importPath(file, model), declaredColumns(source)))
      ctx.out.line(`${ctx.out.c.green('Created factory')} ${relative(ctx.cwd, file)} ${ctx.out.c.dim(`(for ${relative(ctx.cwd, model)})`)}`)
    })
}

function modelName(name: string): string {
  const bare = name.replace(/Factory$/, '')
  const className = /^[A-Z][A-Za-z0-9]*$/.test(bare) ? bare : pascal(bare)
  if (!/^[A-Z][A-Za-z0-9]*$/.test(className)) throw new QuarryError(`"${name}" is not a usable model name; try User or BlogPost`)
  return className
}

/** The model's file: `blog-post.ts` (as make:model names it) or `BlogPost.ts`. */
function findModelFile(directory: string, className: string): string {
  const stems = [...new Set([kebab(className), className])]
  const candidates = stems.flatMap((stem) => MODEL_EXTENSIONS.map((ext) => join(directory, `${stem}${ext}`)))
  const found = candidates.find((file) => existsSync(file))
  if (found) return found
  throw new QuarryError(
    `No model ${className} in ${directory} (looked for ${stems.map((s) => `${s}.ts`).join(', ')}); ` +
      `create it with: npx quarry make:model ${className}`,
  )
}

/** The import specifier from the factory to the model, as TypeScript's ESM convention writes it (`.js`). */
function importPath(from: string, model: string): string {
  let path = relative(dirname(from), model).split(sep).join('/')
  path = path.replace(/\.ts$/, '.js').replace(/\.mts$/, '.mjs')
  return path.startsWith('.') ? path : `./${path}`
}
