import { checkContentLibrary } from '../content/content-check.js'

/** `npm run content:check`: needs no Redis, so it runs anywhere the files are (CI, an editor's laptop). */
const dir = process.argv[2] ?? 'content'
const result = checkContentLibrary(dir)
for (const warning of result.warnings) console.log(`warning: ${warning}`)
for (const error of result.errors) console.log(`error: ${error}`)
if (result.errors.length) {
  console.log(`${result.errors.length} error(s) in ${dir}; nothing is published until they are fixed.`)
  process.exit(1)
}
console.log(`Content OK: ${result.posts} posts in ${result.topics} topics`)
