import type { Config } from '../config.js'
import { Directory } from '../directory/directory.js'
import type { CliCommand, CliContext } from '../cli-command.js'
import { features } from '../features.js'
import { checkDirectoryFile } from '../directory/directory-file.js'
import { parseSchoolLevel, schoolLevelLabels, schoolLevels } from '../directory/model.js'
import { containsAllWords } from '../core/fold.js'
import { z } from 'zod'
import { officerAdminCommands, officersUsage } from './officer-commands.js'
import { zaloAdminCommand, zaloAdminUsage } from '../platforms/zalo/zalo-admin.js'
import { connectRedis, Keys } from '../store/redis.js'
import { resolveRedis } from '../store/resolve-redis.js'
import { playgroundRedisPrefix } from '../platforms/playground/playground-prefix.js'

const usage = `npm run admin -- <lệnh>
  import <schools.yaml>        nạp hoặc cập nhật danh sách trường và cán bộ từ tệp YAML
  code <mã trường>             cấp mã đăng ký một lần cho nhóm của trường (/dangky <mã>)
  schools [--ward "…"] [--level thcs]
                               các trường, phường/xã, cấp học và số nhóm đang hoạt động
  ${officersUsage}
${features.flatMap((feature) => (feature.cli ? [feature.cli.usage] : [])).join('\n')}
${zaloAdminUsage}
Dữ liệu của playground: thêm --playground (tiền tố Redis <REDIS_PREFIX>-playground).`

/** The directory's own commands, then each feature's (src/features.ts), then the platforms'. */
const commands: Record<string, CliCommand> = {
  ...Object.assign({}, ...features.map((feature) => feature.cli?.commands ?? {})),
  ...officerAdminCommands,
  zalo: (args, ctx) => zaloAdminCommand(args, ctx),
  import: async ([file], ctx) => {
    if (!file) return fail(ctx, 'Lệnh import cần một tệp: npm run admin -- import schools.yaml')
    const checked = checkDirectoryFile(file)
    if ('problems' in checked) {
      ctx.print(`${file} có ${checked.problems.length} lỗi; chưa nạp gì. Sửa hết rồi chạy lại:`)
      for (const problem of checked.problems) ctx.print(`  • ${problem}`)
      return 1
    }
    const summary = await ctx.directory.importFile(checked.file)
    ctx.print(`Đã nạp ${summary.schools} trường và ${summary.officers} cán bộ từ ${file}.`)
    if (summary.removedOfficers.length) ctx.print(`Đã xoá các cán bộ không còn trong tệp: ${summary.removedOfficers.join(', ')}.`)
    if (summary.schoolsOnlyInRedis.length) ctx.print(`Các trường có trong dữ liệu nhưng không có trong tệp (vẫn giữ): ${summary.schoolsOnlyInRedis.join(', ')}.`)
    return 0
  },
  code: async ([schoolCode], ctx) => {
    if (!schoolCode) return fail(ctx, 'Lệnh code cần mã trường: npm run admin -- code THCS-NGO-QUYEN')
    const school = await ctx.directory.getSchool(schoolCode)
    if (!school) return fail(ctx, `Không có trường ${schoolCode} trong danh bạ; nạp trước bằng: npm run admin -- import schools.yaml`)
    const code = await ctx.directory.issueRegistrationCode(school.code)
    ctx.print(`Mã đăng ký cho ${school.name}: ${code}`)
    ctx.print(`Quản trị viên nhóm của trường gõ /dangky ${code} trong nhóm. Mã dùng một lần, trong 7 ngày.`)
    return 0
  },
  schools: (args, ctx) => schoolsCommand(args, ctx),
}

async function schoolsCommand(args: string[], ctx: CliContext): Promise<number> {
  const wardAt = args.indexOf('--ward')
  const levelAt = args.indexOf('--level')
  const ward = wardAt >= 0 ? args[wardAt + 1] : undefined
  const levelText = levelAt >= 0 ? args[levelAt + 1] : undefined
  const level = levelText === undefined ? undefined : parseSchoolLevel(levelText)
  if (levelText !== undefined && !level) return fail(ctx, `--level phải là một cấp học: ${schoolLevels.join(', ')}.`)
  const all = await ctx.directory.listSchools()
  const schools = all.filter((school) => (!ward || containsAllWords(school.ward, ward)) && (!level || school.level === level))
  const groups = await ctx.directory.listGroups({ activeOnly: true, registeredOnly: true })
  const active = new Map<string, number>()
  for (const group of groups) active.set(group.schoolCode!, (active.get(group.schoolCode!) ?? 0) + 1)
  ctx.print(['Mã trường', 'Tên trường', 'Phường/xã', 'Cấp học', 'Nhóm đang hoạt động'].join('\t'))
  for (const school of schools) ctx.print([school.code, school.name, school.ward, schoolLevelLabels[school.level], String(active.get(school.code) ?? 0)].join('\t'))
  const withoutGroup = schools.filter((school) => !active.has(school.code)).length
  ctx.print(`${schools.length} trường${schools.length < all.length ? ` (trong ${all.length})` : ''}; ${withoutGroup} trường chưa có nhóm nào đăng ký.`)
  return 0
}

/** What people type to see the list; none of them is a command's name. */
const helpWords = new Set(['help', '--help', '-h', 'trogiup', 'tro-giup', 'huongdan'])

export async function runAdminCommand(argv: string[], config: Config, print: (line: string) => void = (line) => console.log(line)): Promise<number> {
  // --playground anywhere: the same commands on the playground's data (npm start with no token).
  const playground = argv.includes('--playground')
  const [name, ...args] = argv.filter((arg) => arg !== '--playground')
  const asksForHelp = name === undefined || helpWords.has(name)
  const command = name && !asksForHelp ? commands[name] : undefined
  if (!command) {
    if (!asksForHelp) print(`Không có lệnh “${name}”. Các lệnh có:`)
    print(usage)
    return asksForHelp ? 0 : 1
  }
  // Zod's own messages (a missing field, a wrong type) in Vietnamese, for the department's files.
  z.config(z.locales.vi())
  const redisHandle = await resolveRedis(config)
  const redis = connectRedis(redisHandle.target)
  const keys = new Keys(playground ? playgroundRedisPrefix(config.redisPrefix) : config.redisPrefix)
  try {
    return await command(args, { config, redis, keys, directory: new Directory(redis, keys), print })
  } finally {
    await redis.quit()
    await redisHandle.stop()
  }
}

function fail(ctx: CliContext, message: string): number {
  ctx.print(message)
  return 1
}
