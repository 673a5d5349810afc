/**
 * Memory: the RSS of one bot process (bench/worker-process.ts: createApp with receive + work) with
 * 5,000 registered groups and 200 live tip conversations (200 private chats stopped
 * mid-conversation, waiting for the description), and then while it runs its planners at a
 * posting slot, when the awareness-post planner plans a post for every one of the 5,000 groups.
 *
 * The bot runs as the Docker image runs it: compiled JavaScript under plain node (see
 * bench/support/compiled.ts), with the Dockerfile's --max-old-space-size=128. `npm start` runs
 * it through tsx instead, which costs more: that bot's idle RSS is measured too. The groups are registered in Redis by the harness (the bot keeps
 * no directory in memory; registering 5,000 at once through it would only measure the burst).
 *
 * RSS is sampled every 25 ms inside the bot (the peak) and read after each step; the last reading
 * follows a forced GC (node --expose-gc), to show what stays. The fake has Telegram's limits on.
 */
import type { Redis } from 'ioredis'
import { Directory } from '../../src/directory/directory.js'
import { Keys } from '../../src/store/redis.js'
import { benchPrefix, dropPrefix } from '../support/bot.js'
import { BotProcess } from '../support/bot-process.js'
import { compileBot, removeCompiledBot } from '../support/compiled.js'
import { registerGroups } from '../support/directory-fixtures.js'
import { groupIds, megabytes, until } from '../support/measure.js'
import type { FakeHost } from '../support/fake-host.js'
import { openStage } from '../support/scenario-stage.js'
import { verdict, type BenchContext, type Scenario, type ScenarioResult } from '../support/report.js'
import { driveConversations, tipsterIds } from '../support/tipsters.js'
import type { WorkerMemory } from '../worker-process.js'
import { nextSlot } from './two-processes.js'

/** The Dockerfile's CMD runs node with these. */
const dockerNodeArgs = ['--max-old-space-size=128']
const registeredGroups = 5_000
const schools = 500
const conversations = 200
/** /start from a group's deep link, then the category: each tipster is left at "describe what happened". */
const conversationSteps = 2

async function countKeys(redis: Redis, pattern: string): Promise<number> {
  let cursor = '0'
  let count = 0
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000)
    cursor = next
    count += keys.length
  } while (cursor !== '0')
  return count
}

function show(memory: WorkerMemory): string {
  return `RSS ${megabytes(memory.rss)} MB (peak ${megabytes(memory.peakRss)}), heap ${megabytes(memory.heapUsed)}/${megabytes(memory.heapTotal)} MB`
}

/** `npm start`'s way: the .ts through tsx, idle after start-up. */
async function tsxIdle(fake: FakeHost): Promise<WorkerMemory> {
  const prefix = benchPrefix('memory-tsx')
  const bot = await BotProcess.start({ fake, prefix, parts: 'receive,work' })
  try {
    await new Promise((done) => setTimeout(done, 1_000))
    return await bot.memory()
  } finally {
    await bot.stop()
    await dropPrefix(prefix)
  }
}

export const memoryScenario: Scenario = {
  name: 'memory',
  title: 'Memory (5,000 groups, 200 conversations)',
  async run(ctx: BenchContext): Promise<ScenarioResult> {
    const t0 = Date.now()
    const compiledEntry = compileBot()
    ctx.log(`transpiled the bot for plain node in ${Date.now() - t0} ms`)
    const stage = await openStage('memory')
    const { fake, prefix, redis } = stage
    const keys = new Keys(prefix)
    const slot = nextSlot(new Date())
    // The bot's clock a minute past a posting slot: a planner run then plans that slot's posts.
    const clockAt = new Date(slot.getTime() + 60_000)
    let bot: BotProcess | undefined
    const steps: Record<string, WorkerMemory> = {}
    try {
      const tsx = await tsxIdle(fake)
      ctx.log(`npm start's way (tsx), idle: ${show(tsx)}`)

      bot = await BotProcess.start({ fake, prefix, parts: 'receive,work', clockAt, exposeGc: true, compiledEntry, nodeArgs: dockerNodeArgs })
      await new Promise((done) => setTimeout(done, 1_000))
      steps.started = await bot.memory()
      ctx.log(`compiled (as in the Docker image), idle: ${show(steps.started)}`)

      await registerGroups(new Directory(redis, keys), groupIds(registeredGroups, 60), schools, new Date(slot.getTime() - 86_400_000))
      const stored = (await new Directory(redis, keys).listGroups({ registeredOnly: true })).length
      const ids = tipsterIds(conversations, 60)
      const codes = Array.from({ length: schools }, (_, i) => `BENCH-${String(i + 1).padStart(4, '0')}`)
      await driveConversations(fake, ids, codes, conversationSteps)
      const wanted = new Set(ids)
      await until(async () => (await fake.messages()).filter((m) => wanted.has(m.chatId)).length >= conversations * conversationSteps, 90_000, `${conversations} conversations to reach the description step`, 250)
      const drafts = await countKeys(redis, `${prefix}:tips:draft:*`)
      steps.conversations = await bot.memory()
      ctx.log(`${stored} groups of ${schools} schools registered, ${drafts} tip drafts open: ${show(steps.conversations)}`)

      const redisCpuBefore = await redisCpuSeconds(redis)
      const t1 = Date.now()
      const { cpuMs: plannerCpuMs } = (await bot.call({ cmd: 'run-planners' })) as { cpuMs: number }
      const plannerMs = Date.now() - t1
      const redisCpuMs = Math.round((await redisCpuSeconds(redis)) * 1000 - redisCpuBefore * 1000)
      const queue = `${keys.bullPrefix}:delivery-telegram`
      const planned = (await redis.zcard(`${queue}:delayed`)) + (await redis.zcard(`${queue}:prioritized`)) + (await redis.llen(`${queue}:wait`)) + (await redis.llen(`${queue}:active`)) + (await redis.zcard(`${queue}:completed`))
      steps.planners = await bot.memory()
      ctx.log(`planners at the slot ${slot.toISOString()} took ${plannerMs} ms and queued ${planned} deliveries: ${show(steps.planners)}`)
      ctx.log(`  CPU during that run: the bot ${plannerCpuMs} ms, Redis ${redisCpuMs} ms (the whole server: other clients count too)`)
      await new Promise((done) => setTimeout(done, 2_000))
      steps.settled = await bot.memory(true)
      ctx.log(`2 s later, after a forced GC: ${show(steps.settled)}`)

      const peak = Math.max(...Object.values(steps).map((m) => m.peakRss))
      const steady = steps.conversations.rss
      return {
        rows: [
          { metric: `RSS with ${registeredGroups} groups and ${conversations} live conversations (compiled, as deployed)`, ours: `${megabytes(steady)} MB`, target: '≤ 200 MB', verdict: verdict(megabytes(steady) <= 200) },
          { metric: `peak RSS, planners at a posting slot included (${planned} deliveries planned)`, ours: `${megabytes(peak)} MB`, target: '≤ 200 MB', verdict: verdict(megabytes(peak) <= 200) },
          { metric: 'RSS idle after start: compiled / through tsx (npm start)', ours: `${megabytes(steps.started.rss)} / ${megabytes(tsx.rss)} MB`, verdict: 'info' },
          { metric: 'JS heap used: idle / after the planners / after a forced GC', ours: `${megabytes(steps.started.heapUsed)} / ${megabytes(steps.planners.heapUsed)} / ${megabytes(steps.settled.heapUsed)} MB`, verdict: 'info' },
          { metric: `planner run at a posting slot, ${registeredGroups} groups`, ours: `${(plannerMs / 1000).toFixed(1)} s`, verdict: 'info' },
          { metric: 'CPU in that run: the bot / Redis', ours: `${(plannerCpuMs / 1000).toFixed(1)} / ${(redisCpuMs / 1000).toFixed(1)} s`, verdict: 'info' },
        ],
        data: {
          registeredGroups: stored,
          conversations: drafts,
          plannedDeliveries: planned,
          plannerMs,
          plannerCpuMs,
          redisCpuMs,
          slot: slot.toISOString(),
          tsxIdle: { rssMB: megabytes(tsx.rss), heapUsedMB: megabytes(tsx.heapUsed) },
          steps: Object.fromEntries(Object.entries(steps).map(([step, m]) => [step, { rssMB: megabytes(m.rss), peakRssMB: megabytes(m.peakRss), heapUsedMB: megabytes(m.heapUsed), heapTotalMB: megabytes(m.heapTotal), externalMB: megabytes(m.external) }])),
          peakRssMB: megabytes(peak),
        },
      }
    } finally {
      await bot?.stop()
      await stage.close()
      removeCompiledBot()
    }
  },
}

/** Redis's own CPU time so far (user + system, all threads), from INFO. */
async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info('cpu')
  const field = (name: string) => Number(new RegExp(`^${name}:([0-9.]+)`, 'm').exec(info)?.[1] ?? 0)
  return field('used_cpu_sys') + field('used_cpu_user')
}
