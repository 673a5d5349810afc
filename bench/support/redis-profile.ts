import { Socket } from 'node:net'
import { Redis } from 'ioredis'

type SendCommand = Redis['sendCommand']
interface CommandLike {
  name: string
  args: unknown[]
}
interface StreamLike {
  isPipeline?: boolean
}

export interface RedisProfile {
  /** commands sent, by name; Lua scripts by the name they were defined under (BullMQ's) or `eval:<first words>` */
  commands: Record<string, number>
  totalCommands: number
  /** round trips: a pipeline or MULTI/EXEC is one */
  roundTrips: number
  /** writes to Redis sockets (system calls, however many commands each carries) */
  socketWrites: number
}

/**
 * Counts every command this process sends through ioredis (BullMQ's connections included) until
 * `stop()`: a profile of the Redis work per job, independent of other clients of the same Redis.
 */
export function profileRedis(): { stop(): RedisProfile } {
  const prototype = Redis.prototype as unknown as { sendCommand: SendCommand }
  const original = prototype.sendCommand
  const counts = new Map<string, number>()
  const pipelines = new WeakSet<object>()
  let single = 0
  let pipelined = 0
  const scriptNames = new Map<string, string>()

  function nameOf(redis: Redis, command: CommandLike): string {
    if (command.name === 'evalsha') {
      const sha = String(command.args[0])
      let name = scriptNames.get(sha)
      if (name === undefined) {
        const scripts = (redis as unknown as { scriptsSet: Record<string, { sha: string }> }).scriptsSet
        for (const [scriptName, script] of Object.entries(scripts)) scriptNames.set(script.sha, scriptName)
        // Ours (LuaScript) are not in ioredis's set: remember them by their SHA too, or every call
        // walks BullMQ's scripts again and the count itself costs the pipeline a few percent of its CPU.
        name = scriptNames.get(sha) ?? sha.slice(0, 8)
        scriptNames.set(sha, name)
      }
      return `evalsha:${name}`
    }
    if (command.name === 'eval') {
      // Our scripts (SendBudget) are sent as text every time: name them by their first line.
      const firstLine = String(command.args[0]).trim().split('\n')[0] ?? ''
      return `eval:${firstLine.slice(0, 40)}`
    }
    return command.name
  }

  // Writes are counted on the sockets ioredis sends commands on, so the fake's HTTP is left out.
  const redisSockets = new WeakSet<object>()
  const socketPrototype = Socket.prototype as unknown as Record<'_write' | '_writev', (...args: unknown[]) => unknown>
  const originalWrite = socketPrototype._write
  const originalWritev = socketPrototype._writev
  let socketWrites = 0
  socketPrototype._write = function (this: object, ...args: unknown[]) {
    if (redisSockets.has(this)) socketWrites++
    return originalWrite.apply(this, args)
  }
  socketPrototype._writev = function (this: object, ...args: unknown[]) {
    if (redisSockets.has(this)) socketWrites++
    return originalWritev.apply(this, args)
  }

  prototype.sendCommand = function (this: Redis, command: CommandLike, stream?: StreamLike, ...rest: unknown[]) {
    if (this.stream) redisSockets.add(this.stream)
    const name = nameOf(this, command)
    counts.set(name, (counts.get(name) ?? 0) + 1)
    if (stream?.isPipeline) {
      if (!pipelines.has(stream)) {
        pipelines.add(stream)
        pipelined++
      }
    } else {
      single++
    }
    return (original as (...args: unknown[]) => unknown).call(this, command, stream, ...rest)
  } as unknown as SendCommand

  return {
    stop() {
      prototype.sendCommand = original
      socketPrototype._write = originalWrite
      socketPrototype._writev = originalWritev
      const commands = Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]))
      return { commands, totalCommands: [...counts.values()].reduce((a, b) => a + b, 0), roundTrips: single + pipelined, socketWrites }
    },
  }
}

/** Redis's own CPU seconds (user + sys), from INFO; the difference over a run is what the run cost Redis. */
export async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info('cpu')
  const user = Number(/used_cpu_user:([\d.]+)/.exec(info)?.[1] ?? 0)
  const sys = Number(/used_cpu_sys:([\d.]+)/.exec(info)?.[1] ?? 0)
  return user + sys
}
