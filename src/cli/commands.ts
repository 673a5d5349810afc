import type { Redis } from 'ioredis'
import type { Config } from '../config.js'
import { contentAdminCommands } from '../content/content-admin-commands.js'
import { Directory } from '../directory/directory.js'
import { deadlineAdminCommands, deadlineCommandsUsage } from './deadline-commands.js'
import { statsUsage, tipAdminCommands } from './tip-commands.js'
import { officerAdminCommands, officersUsage } from './officer-commands.js'
import { readDirectoryFile } from '../directory/directory-file.js'
import { zaloAdminCommand, zaloAdminUsage } from '../platforms/zalo/zalo-admin.js'
import { connectRedis, Keys } from '../store/redis.js'
import { resolveRedis } from '../store/resolve-redis.js'

export interface CliContext {
  config: Config
  redis: Redis
  keys: Keys
  directory: Directory
  print(line: string): void
}

export type Command = (args: string[], ctx: CliContext) => Promise<number>

const usage = `npm run admin -- <command>
  import <schools.yaml>        load or update schools and officers from a YAML file
  code <school-code>           issue a one-time group registration code (/dangky <code>)
  schools                      list schools and their registered groups
  ${officersUsage}
  content check [dir]          check the awareness-content library (also: npm run content:check)
  content preview --group <platform:chatId> [--weeks 8]   the coming posts for a group
${deadlineCommandsUsage}
  ${statsUsage}
                               tip statistics for a QĐ 98 window or a date range (counts under 3 shown as "<3"; also: tips stats)
  tips audit <receipt code>    a tip's history: who did what and when
${zaloAdminUsage}`

const commands: Record<string, Command> = {
  ...contentAdminCommands,
  ...deadlineAdminCommands,
  ...tipAdminCommands,
  ...officerAdminCommands,
  zalo: (args, ctx) => zaloAdminCommand(args, ctx),
  import: async ([file], ctx) => {
    if (!file) return fail(ctx, 'import needs a file: npm run admin -- import schools.yaml')
    const summary = await ctx.directory.importFile(readDirectoryFile(file))
    ctx.print(`Imported ${summary.schools} schools and ${summary.officers} officers from ${file}.`)
    if (summary.removedOfficers.length) ctx.print(`Removed officers no longer in the file: ${summary.removedOfficers.join(', ')}.`)
    if (summary.schoolsOnlyInRedis.length) ctx.print(`Schools in Redis but not in the file (kept): ${summary.schoolsOnlyInRedis.join(', ')}.`)
    return 0
  },
  code: async ([schoolCode], ctx) => {
    if (!schoolCode) return fail(ctx, 'code needs a school code: npm run admin -- code THCS-NGO-QUYEN')
    const school = await ctx.directory.getSchool(schoolCode)
    if (!school) return fail(ctx, `No school ${schoolCode} in the directory; import it first (npm run admin -- import schools.yaml).`)
    const code = await ctx.directory.issueRegistrationCode(school.code)
    ctx.print(`Registration code for ${school.name}: ${code}`)
    ctx.print(`A group admin types /dangky ${code} in the school's group. The code works once, for 7 days.`)
    return 0
  },
  schools: async (_args, ctx) => {
    for (const school of await ctx.directory.listSchools()) {
      const groups = await ctx.directory.groupsOfSchool(school.code)
      ctx.print(`${school.code}\t${school.name}\t${groups.filter((g) => g.active).length} active group(s)`)
    }
    return 0
  },
}

export async function runAdminCommand(argv: string[], config: Config, print: (line: string) => void = (line) => console.log(line)): Promise<number> {
  const [name, ...args] = argv
  const command = name ? commands[name] : undefined
  if (!command) {
    print(usage)
    return name ? 1 : 0
  }
  const redisHandle = await resolveRedis(config)
  const redis = connectRedis(redisHandle.target)
  const keys = new Keys(config.redisPrefix)
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
