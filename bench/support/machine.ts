import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { availableParallelism, totalmem } from 'node:os'
import { connectBenchRedis, redisUrl } from './bot.js'

function run(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8' }).trim()
  } catch {
    return 'unavailable'
  }
}

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(new URL(`../../node_modules/${name}/package.json`, import.meta.url), 'utf8')) as { version: string }).version
  } catch {
    return 'unavailable'
  }
}

export interface Machine {
  nproc: string
  cpu: string
  memory: string
  freeH: string
  node: string
  redis: string
  redisUrl: string
  packages: Record<string, string>
  summary: string
}

/** What the figures were measured on: `nproc`, `free -h`, the CPU, node and redis versions. */
export async function describeMachine(): Promise<Machine> {
  const redis = connectBenchRedis()
  let redisVersion = 'unavailable'
  try {
    redisVersion = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? redisVersion
  } finally {
    await redis.quit()
  }
  const cpu = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown'
  const nproc = run('nproc', [])
  const freeH = run('free', ['-h'])
  const packages = Object.fromEntries(['bullmq', 'ioredis', 'grammy', '@grammyjs/transformer-throttler', '@grammyjs/auto-retry'].map((name) => [name, packageVersion(name)]))
  const memory = `${Math.round(totalmem() / 1024 ** 3)} GiB`
  const summary = [
    `machine: ${nproc} cores (availableParallelism ${availableParallelism()}), ${cpu}, ${memory} RAM`,
    `node ${process.version}, redis ${redisVersion} at ${redisUrl}`,
    `packages: ${Object.entries(packages).map(([name, version]) => `${name} ${version}`).join(', ')}`,
  ].join('\n')
  return { nproc, cpu, memory, freeH, node: process.version, redis: redisVersion, redisUrl, packages, summary }
}
