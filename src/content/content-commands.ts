import type { CliContext, CliCommand } from '../cli-command.js'
import { systemClock } from '../core/clock.js'
import { parseChatKey } from '../core/platform.js'
import { atLocal, formatDateTime, parseVietnameseDate } from '../core/vn-time.js'
import { audienceLabels, schoolLevelLabels } from '../directory/model.js'
import { checkContentLibrary, defaultSchedulePath } from './content-check.js'
import { loadContentLibrary } from './content-library.js'
import { readersOf } from './post.js'
import { readPostingSchedule } from './posting-schedule.js'
import { upcomingPosts } from './rotation-preview.js'
import { topicLabels } from './topics.js'
import { notARealDate } from '../core/typed-date.js'
import { RotationState } from './rotation-state.js'

const defaultContentDir = 'content'

/** The lines `npm run admin` lists for this feature. */
export const contentCommandsUsage = `  content check [dir]          kiểm tra thư viện bài tuyên truyền (cũng: npm run content:check)
  content preview --group <platform:chatId> [--weeks 8]   các bài sắp gửi vào một nhóm`

const usage = `npm run admin -- content <lệnh con>
  check [thư mục]                               kiểm tra mọi bài (mặc định: content); có lỗi thì mã thoát 1
  preview --group <platform:chatId> [--weeks 8] các bài sắp gửi vào một nhóm đã đăng ký
          [--from dd/mm/yyyy] [--content thư mục] [--schedule tệp]`

/** `content check` and `content preview`, for src/cli/commands.ts. */
export const contentAdminCommands: Record<string, CliCommand> = {
  content: async ([subcommand, ...args], ctx) => {
    if (subcommand === 'check') return checkCommand(args, ctx)
    if (subcommand === 'preview') return previewCommand(args, ctx)
    ctx.print(usage)
    return subcommand ? 1 : 0
  },
}

async function checkCommand([dir = defaultContentDir]: string[], ctx: CliContext): Promise<number> {
  const result = checkContentLibrary(dir)
  for (const warning of result.warnings) ctx.print(`cảnh báo: ${warning}`)
  for (const error of result.errors) ctx.print(`lỗi: ${error}`)
  if (result.errors.length) {
    ctx.print(`${dir} có ${result.errors.length} lỗi; các bài lỗi không được đăng cho tới khi sửa xong.`)
    return 1
  }
  ctx.print(`Thư viện bài ổn: ${result.posts} bài, ${result.topics} chủ đề.`)
  return 0
}

async function previewCommand(args: string[], ctx: CliContext): Promise<number> {
  const options = readOptions(args)
  if (typeof options === 'string') return fail(ctx, options)
  const group = await ctx.directory.getGroup(options.group)
  if (!group?.schoolCode) return fail(ctx, `Không có nhóm đã đăng ký ${options.groupText}; xem: npm run admin -- schools.`)
  const school = await ctx.directory.getSchool(group.schoolCode)
  if (!school) return fail(ctx, `Trường ${group.schoolCode} của nhóm không có trong danh bạ.`)
  const library = loadContentLibrary(options.contentDir)
  if (library.errors.length) ctx.print(`(${library.errors.length} tệp bài có lỗi nên bị bỏ qua; chạy: npm run admin -- content check.)`)
  const schedule = readPostingSchedule(options.schedulePath)
  const rotation = new RotationState(ctx.redis, ctx.keys)
  const upcoming = await upcomingPosts({ rotation, posts: library.posts, schedule }, group, school, options.from, options.weeks * 7)
  const readers = readersOf(group, school).audiences.map((audience) => audienceLabels[audience]).join(', ')
  ctx.print(`${group.title ?? options.groupText}, ${school.name} (${schoolLevelLabels[school.level]}; người đọc: ${readers}), ${options.weeks} tuần từ ${formatDateTime(options.from)}:`)
  if (upcoming.length === 0) ctx.print('  không có bài nào hợp với nhóm này: xem người đọc của nhóm (/doituong) và cấp học của các bài.')
  for (const { at, post, campaign, planned } of upcoming) {
    const notes = [campaign ? `chiến dịch: ${campaign.name}` : '', planned ? 'đã xếp lịch' : ''].filter(Boolean).join('; ')
    ctx.print(`  ${formatDateTime(at)}  ${topicLabels[post.topic]}  ${post.title}${notes ? `  (${notes})` : ''}`)
  }
  return 0
}

interface PreviewOptions {
  group: ReturnType<typeof parseChatKey>
  groupText: string
  weeks: number
  from: Date
  contentDir: string
  schedulePath: string
}

function readOptions(args: string[]): PreviewOptions | string {
  const values = new Map<string, string>()
  for (let i = 0; i < args.length; i += 2) {
    const [name, value] = [args[i]!, args[i + 1]]
    if (!name.startsWith('--') || value === undefined) return `Không hiểu “${name}”.\n${usage}`
    values.set(name.slice(2), value)
  }
  const groupText = values.get('group')
  if (!groupText) return `preview cần --group <platform:chatId>, ví dụ --group telegram:-1001234567890.\n${usage}`
  let group: PreviewOptions['group']
  try {
    group = parseChatKey(groupText)
  } catch {
    return `--group phải có dạng <platform:chatId>, ví dụ telegram:-1001234567890.`
  }
  const weeks = Number(values.get('weeks') ?? 8)
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > 60) return '--weeks phải là một số nguyên từ 1 đến 60.'
  const fromText = values.get('from')
  const fromDate = fromText === undefined ? undefined : parseVietnameseDate(fromText)
  if (fromText !== undefined && !fromDate) return notARealDate(fromText, new Date().getFullYear()) ?? '--from phải là một ngày dạng dd/mm/yyyy.'
  return {
    group,
    groupText,
    weeks,
    from: fromDate ? atLocal(fromDate) : systemClock.now(),
    contentDir: values.get('content') ?? defaultContentDir,
    schedulePath: values.get('schedule') ?? defaultSchedulePath,
  }
}

function fail(ctx: CliContext, message: string): number {
  ctx.print(message)
  return 1
}
