/**
 * The bot as the Docker image runs it (`node dist/src/main.js`: compiled JavaScript, no tsx
 * loader in the process), for the memory scenario. Every .ts file of src/, handlers/, bench/ and
 * test/fakes/ is transpiled (TypeScript's transpileModule: no type check, that is `npm run
 * typecheck`'s job) into node_modules/.cache/safeschool-bench/, where imports of packages still
 * resolve to the project's node_modules. Takes a second or two.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const root = fileURLToPath(new URL('../../', import.meta.url))
const outDir = join(root, 'node_modules', '.cache', 'safeschool-bench')
const sources = ['src', 'handlers', 'bench', 'test/fakes']

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === 'results' ? [] : tsFiles(path)
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : []
  })
}

/** Transpiles the project and returns the path of the compiled bench/worker-process.js. */
export function compileBot(): string {
  rmSync(outDir, { recursive: true, force: true })
  const compilerOptions: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022, verbatimModuleSyntax: true, esModuleInterop: true, sourceMap: false }
  for (const file of sources.flatMap((dir) => tsFiles(join(root, dir)))) {
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions, fileName: file })
    const target = join(outDir, relative(root, file)).replace(/\.ts$/, '.js')
    mkdirSync(dirname(target), { recursive: true })
    writeFileSync(target, outputText)
  }
  // Under node_modules/ Node looks no further up for "type": "module".
  writeFileSync(join(outDir, 'package.json'), '{ "type": "module" }\n')
  return join(outDir, 'bench', 'worker-process.js')
}

export function removeCompiledBot(): void {
  rmSync(outDir, { recursive: true, force: true })
}
