/**
 * The urgent path: a student follows a group's tip link and sends one message that signals
 * danger ("co nguoi cam dao o cong truong"), and nothing more. Measured at the fake's clock from
 * the moment it had that message: the hotlines at the student, the "Tin đã được chuyển tới N cán
 * bộ" line, and the urgent card at every officer of the chain (THCS Ngô Quyền in the example
 * directory: the case officer, the focal point, the ward police and the coordinator, in
 * parallel). Once for one student alone, then for 10 students at the same school at once: the
 * same four officers then get 10 cards each, and a private chat takes about one a second.
 *
 * The bot is bench/worker-process.ts with receive + work, against the fake with Telegram's
 * limits on, as `npm start` runs it.
 */
import { Directory } from '../../src/directory/directory.js'
import { readDirectoryFile } from '../../src/directory/directory-file.js'
import { Keys } from '../../src/store/redis.js'
import { privateText } from '../../test/fakes/telegram-updates.js'
import { BotProcess } from '../support/bot-process.js'
import { percentile, until } from '../support/measure.js'
import type { FakeHost } from '../support/fake-host.js'
import { openStage } from '../support/scenario-stage.js'
import { verdict, type BenchContext, type Row, type Scenario, type ScenarioResult } from '../support/report.js'

const chainChats = ['100000005', '100000004', '100000003', '100000001']
const crowd = 10

interface Timings {
  hotlines: number[]
  filed: number[]
  /** per student: the last of the chain's cards */
  allCards: number[]
  /** per student: the first card */
  firstCard: number[]
}

async function emergencies(fake: FakeHost, students: string[]): Promise<Timings> {
  for (const student of students) await fake.pushUpdate(privateText(student, '/start tip-THCS-NGO-QUYEN', { firstName: 'Học Sinh' }))
  await until(async () => (await fake.messages()).filter((m) => students.includes(m.chatId)).length >= students.length, 30_000, 'the category prompts', 50)
  await new Promise((done) => setTimeout(done, 1_500))
  const from = (await fake.messages()).length
  const { at } = await fake.pushUpdates(students.map((student) => privateText(student, 'co nguoi cam dao o cong truong', { firstName: 'Học Sinh' })))
  const codes = new Map<string, string>()
  await until(
    async () => {
      const messages = await fake.messages(from)
      for (const m of messages) {
        const code = /Tin đã được chuyển tới \d+ cán bộ lúc \d\d:\d\d\. Mã tin báo: ([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(m.text)?.[1]
        if (code && students.includes(m.chatId)) codes.set(m.chatId, code)
      }
      return codes.size === students.length && students.every((s) => chainChats.every((chat) => messages.some((m) => m.chatId === chat && m.text.includes(codes.get(s)!))))
    },
    120_000,
    'every card of every tip',
    50,
  )
  const messages = await fake.messages(from)
  const firstAt = (chat: string, test: (text: string) => boolean) => messages.find((m) => m.chatId === chat && test(m.text))!.at - at
  return {
    hotlines: students.map((s) => firstAt(s, (text) => text.startsWith('🚨'))),
    filed: students.map((s) => firstAt(s, (text) => text.includes('Tin đã được chuyển tới'))),
    allCards: students.map((s) => Math.max(...chainChats.map((chat) => firstAt(chat, (text) => text.includes(codes.get(s)!))))),
    firstCard: students.map((s) => Math.min(...chainChats.map((chat) => firstAt(chat, (text) => text.includes(codes.get(s)!))))),
  }
}

export const urgentPathScenario: Scenario = {
  name: 'urgent-path',
  title: 'Urgent path (one danger message, nothing more)',
  async run(ctx: BenchContext): Promise<ScenarioResult> {
    const stage = await openStage('urgent')
    const { fake, prefix, redis } = stage
    let bot: BotProcess | undefined
    try {
      await new Directory(redis, new Keys(prefix)).importFile(readDirectoryFile('schedules/schools.example.yaml'))
      bot = await BotProcess.start({ fake, prefix, parts: 'receive,work' })
      const alone = await emergencies(fake, ['7300000001'])
      ctx.log(`one student: hotlines ${alone.hotlines[0]} ms, "chuyển tới" ${alone.filed[0]} ms, all ${chainChats.length} cards ${alone.allCards[0]} ms`)
      const many = await emergencies(fake, Array.from({ length: crowd }, (_, i) => String(7_300_000_100 + i)))
      const p = (values: number[], q: number) => Math.round(percentile(values, q))
      ctx.log(`${crowd} students at once: all cards of a tip p50 ${p(many.allCards, 50)} / max ${Math.max(...many.allCards)} ms; first card p50 ${p(many.firstCard, 50)} ms`)
      const rows: Row[] = [
        { metric: 'one student: message → hotlines at the student', ours: `${alone.hotlines[0]} ms`, verdict: 'info' },
        { metric: `one student: message → all ${chainChats.length} officers of the chain hold the urgent card`, ours: `${alone.allCards[0]} ms`, target: '≤ 60 s', verdict: verdict(alone.allCards[0]! <= 60_000) },
        { metric: 'one student: message → "Tin đã được chuyển tới 4 cán bộ"', ours: `${alone.filed[0]} ms`, verdict: 'info' },
        { metric: `${crowd} students at one school at once: every card of a tip, p50 / max`, ours: `${p(many.allCards, 50)} / ${Math.max(...many.allCards)} ms`, target: '≤ 60 s', verdict: verdict(Math.max(...many.allCards) <= 60_000) },
        { metric: `${crowd} at once: the first card of a tip, p50 / max`, ours: `${p(many.firstCard, 50)} / ${Math.max(...many.firstCard)} ms`, verdict: 'info' },
      ]
      return { rows, data: { alone, many, chain: chainChats.length }, notes: [`${crowd} urgent tips at one school put ${crowd} cards in each officer's private chat, which takes one message about every 1.1 s`] }
    } finally {
      await bot?.stop()
      await stage.close()
    }
  },
}
