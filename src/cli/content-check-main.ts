import { checkContentLibrary } from '../content/content-check.js'
import { localDateOf } from '../core/vn-time.js'
import { checkTipResponseFile, defaultTipResponsePath } from '../tips/tip-response.js'

/** `npm run content:check`: needs no Redis, so it runs anywhere the files are (CI, an editor's laptop). */
const dir = process.argv[2] ?? 'content'
const result = checkContentLibrary(dir)
// The tips' response times are data the bot refuses to start without, so they are checked here too.
const tipResponse = checkTipResponseFile(defaultTipResponsePath, localDateOf(new Date()))
for (const warning of [...result.warnings, ...tipResponse.warnings]) console.log(`cảnh báo: ${warning}`)
for (const error of [...result.errors, ...tipResponse.errors]) console.log(`lỗi: ${error}`)
if (tipResponse.errors.length) console.log(`${defaultTipResponsePath} có lỗi; bot không khởi động cho tới khi sửa xong.`)
if (result.errors.length) console.log(`${dir} có ${result.errors.length} lỗi; các bài lỗi không được đăng cho tới khi sửa xong.`)
if (result.errors.length || tipResponse.errors.length) process.exit(1)
console.log(`Thư viện bài ổn: ${result.posts} bài, ${result.topics} chủ đề; ${defaultTipResponsePath} ổn.`)
