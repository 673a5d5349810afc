import { checkContentLibrary } from '../content/content-check.js'
import { localDateOf } from '../core/vn-time.js'
import { checkTipResponseFile, defaultTipResponsePath } from '../tips/tip-response.js'

/** `npm run content:check`: needs no Redis, so it runs anywhere the files are (CI, an editor's laptop). */
const dir = process.argv[2] ?? 'content'
const result = checkContentLibrary(dir)
// The tips' response times are data the bot refuses to start without, so they are checked here too.
const tipResponse = checkTipResponseFile(defaultTipResponsePath, localDateOf(new Date()))
for (const warning of [...result.warnings, ...tipResponse.warnings]) console.log(`warning: ${warning}`)
for (const error of [...result.errors, ...tipResponse.errors]) console.log(`error: ${error}`)
if (tipResponse.errors.length) console.log(`${defaultTipResponsePath} is wrong; the bot will not start until it is fixed.`)
if (result.errors.length) console.log(`${result.errors.length} error(s) in ${dir}; nothing is published until they are fixed.`)
if (result.errors.length || tipResponse.errors.length) process.exit(1)
console.log(`Content OK: ${result.posts} posts in ${result.topics} topics; ${defaultTipResponsePath} OK`)
