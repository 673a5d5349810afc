import type { MessageEvent } from '../../src/core/events.js'
import type { HandlerContext } from '../../src/core/handler.js'
import { visibleLength } from '../../src/core/message.js'
import { formatDateTime, formatDateWithWeekday, localDateOf, type LocalDate } from '../../src/core/vn-time.js'
import { knownDeadlines } from '../../src/deadlines/known-deadlines.js'
import { daysLeftText } from '../../src/deadlines/occurrences.js'
import { occurrenceProgress, openOccurrences, schoolsCoveredBy, type DeadlineOccurrence, type SchoolProgress } from '../../src/deadlines/progress.js'
import type { DeadlinesFeatureDeps } from './deadlines-feature.js'
import { progressMessages as say } from './messages.js'

/** Telegram's 4096, less a margin for what the platform counts differently. */
export const maxReportLength = 4000

interface ReportSection {
  head: string[]
  /** Missing schools, one line each; cut with "… và K trường khác" when the message would be too long. */
  items: string[]
}

/** /tiendo: per open deadline, how many schools confirmed and which have not, for the schools the officer answers for. */
export async function showProgress(ctx: HandlerContext<MessageEvent>, deps: DeadlinesFeatureDeps): Promise<void> {
  if (ctx.event.chat.kind !== 'private') return ctx.reply({ text: say.onlyPrivate })
  const officer = await deps.directory.officerByChat(ctx.event.chat)
  if (!officer) return ctx.reply({ text: say.notOfficer })
  const today = localDateOf(ctx.now)
  const open = openOccurrences(await knownDeadlines(deps.calendar, deps.store), today)
  if (open.length === 0) return ctx.reply({ text: say.nothingOpen })
  const schools = schoolsCoveredBy(officer, await deps.directory.listSchools())
  const sections: ReportSection[] = []
  for (const item of open) {
    const progress = await occurrenceProgress(deps, item, schools)
    if (progress.length > 0) sections.push(progressSection(item, progress, today))
  }
  if (sections.length === 0) return ctx.reply({ text: say.noSchools })
  await ctx.reply({ text: fitReport(say.header(formatDateTime(ctx.now)), sections, maxReportLength) })
}

function progressSection({ deadline, occurrence }: DeadlineOccurrence, progress: SchoolProgress[], today: LocalDate): ReportSection {
  const missing = progress.filter((entry) => !entry.confirmation)
  const confirmed = progress.length - missing.length
  return {
    head: [
      say.title(deadline.title),
      say.due(formatDateWithWeekday(occurrence.due), daysLeftText(today, occurrence.due)),
      missing.length === 0 ? say.allConfirmed(progress.length) : say.someConfirmed(confirmed, progress.length),
    ],
    items: missing.map((entry) => say.missing(entry.school.name, entry.hasGroup)),
  }
}

/**
 * The report in at most `limit` visible characters: every section keeps its head, and the
 * lists share what is left, each cut with "… và K trường khác". A section gets an equal share
 * of what earlier sections left unused.
 */
export function fitReport(header: string, sections: readonly ReportSection[], limit: number): string {
  const cost = (line: string) => visibleLength(line) + 1
  const heads = sections.map((section) => section.head.reduce((sum, line) => sum + cost(line), cost('')))
  let left = limit - cost(header) - heads.reduce((sum, n) => sum + n, 0)
  const blocks = sections.map((section, index) => {
    const share = Math.floor(Math.max(0, left) / (sections.length - index))
    const lines = linesWithin(section.items, share, cost)
    left -= lines.reduce((sum, line) => sum + cost(line), 0)
    return ['', ...section.head, ...lines].join('\n')
  })
  return [header, ...blocks].join('\n')
}

function linesWithin(items: readonly string[], budget: number, cost: (line: string) => number): string[] {
  const all = items.reduce((sum, line) => sum + cost(line), 0)
  if (all <= budget) return [...items]
  const kept: string[] = []
  let used = 0
  for (const item of items) {
    // Room is kept for the closing "… và K trường khác" line.
    if (used + cost(item) + cost(say.more(items.length)) > budget) break
    kept.push(item)
    used += cost(item)
  }
  return [...kept, say.more(items.length - kept.length)]
}
