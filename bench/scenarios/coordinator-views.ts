/**
 * The coordinator's views at 500 and 5,000 schools: how long /tiendo's summary takes to build
 * (every open deadline's answers read from Redis, counted by ward and level, fitted to a phone
 * screen) and how long it is, and the dashboard's school search (name without diacritics, then
 * page 1). Half the schools have answered one deadline. In process, against Redis; no platform.
 */
import { visibleLength } from '../../src/core/message.js'
import { atLocal, localDateOf } from '../../src/core/vn-time.js'
import { loadReportingCalendar } from '../../src/deadlines/calendar.js'
import { DeadlineStore } from '../../src/deadlines/deadline-store.js'
import { knownDeadlines } from '../../src/deadlines/known-deadlines.js'
import { occurrenceProgress, openOccurrences } from '../../src/deadlines/progress.js'
import { progressSummary, type ProgressSection } from '../../src/deadlines/progress-report.js'
import { Directory } from '../../src/directory/directory.js'
import { listSchools, parseSchoolQuery } from '../../src/server/admin/school-list.js'
import { Keys } from '../../src/store/redis.js'
import { manySchools } from '../../test/support/many-schools.js'
import { benchPrefix, connectBenchRedis, dropPrefix } from '../support/bot.js'
import { round } from '../support/measure.js'
import { verdict, type Row, type Scenario } from '../support/report.js'

const sizes = [500, 5000]
/** Monday 01/12/2026 09:00: three school deadlines are open. */
const now = atLocal({ year: 2026, month: 12, day: 1 }, 9, 0)

export const coordinatorViewsScenario: Scenario = {
  name: 'coordinator-views',
  title: 'Coordinator views',
  async run(ctx) {
    const rows: Row[] = []
    const data: Record<string, unknown> = {}
    for (const size of sizes) {
      const prefix = benchPrefix('coordinator')
      const redis = connectBenchRedis()
      try {
        const keys = new Keys(prefix)
        const directory = new Directory(redis, keys)
        const store = new DeadlineStore(redis, keys)
        const file = manySchools(size)
        await directory.importFile(file)
        for (let i = 0; i < file.schools.length; i += 2) await store.confirm('bao-cao-nghi-quyet-147', '2026', file.schools[i]!.code, { by: 'x', platform: 'telegram', at: now.toISOString() })
        const calendar = loadReportingCalendar('schedules/reporting-calendar.yaml')

        const started = performance.now()
        const schools = await directory.listSchools()
        const sections: ProgressSection[] = []
        for (const item of openOccurrences(await knownDeadlines(calendar, store), localDateOf(now))) sections.push({ item, progress: await occurrenceProgress({ directory, store }, item, schools) })
        const summary = progressSummary(sections, now, localDateOf(now))
        const builtMs = performance.now() - started
        const searchStarted = performance.now()
        const listing = listSchools(schools, sections[0], new Set(), parseSchoolQuery(new URLSearchParams('q=thcs so 13')))
        const searchMs = performance.now() - searchStarted
        const length = visibleLength(summary.text)
        ctx.log(`${size} schools: /tiendo ${length} characters in ${round(builtMs)} ms; search ${round(searchMs)} ms (${listing.page.total} matches)`)
        data[String(size)] = { summaryCharacters: length, summaryMs: builtMs, searchMs, matches: listing.page.total }
        rows.push(
          { metric: `/tiendo at ${size} schools: characters`, ours: length, target: '≤ 1,500', verdict: verdict(length <= 1500) },
          { metric: `/tiendo at ${size} schools: built in`, ours: `${round(builtMs)} ms`, verdict: 'info' },
          { metric: `school search at ${size} schools`, ours: `${round(searchMs)} ms`, verdict: 'info' },
        )
      } finally {
        await redis.quit()
        await dropPrefix(prefix)
      }
    }
    return { rows, data }
  },
}
