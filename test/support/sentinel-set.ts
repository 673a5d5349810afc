/**
 * A real Redis Sentinel set for failover tests: a master, a replica and three sentinels, each a
 * process of its own on a random loopback port, with its files in a temp dir that goes at the end.
 *
 *   const set = await SentinelSet.start('ssb-test')    // undefined binaries → see sentinelBinaries()
 *   set.url                                            // redis+sentinel://127.0.0.1:p1,…/ssb-test
 *   await set.killMaster()                             // SIGKILL, no shutdown
 *   await set.waitForFailover()                        // the sentinels name the replica as master
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { Redis } from 'ioredis'

export interface SentinelBinaries {
  server: string
  /** redis-sentinel, or redis-server run with --sentinel (the same program in Debian's package). */
  sentinel: string[]
}

function onPath(name: string): string | undefined {
  return (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, name)).find((path) => existsSync(path))
}

/** The binaries, or why the test cannot run. */
export function sentinelBinaries(): SentinelBinaries | string {
  const server = onPath('redis-server')
  if (!server) return 'redis-server is not installed (apt-get install -y redis-server redis-sentinel)'
  const sentinel = onPath('redis-sentinel')
  return { server, sentinel: sentinel ? [sentinel] : [server, '--sentinel'] }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const started = Date.now()
  for (;;) {
    if (await check().catch(() => false)) return
    if (Date.now() - started > timeoutMs) throw new Error(`sentinel set: timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((done) => setTimeout(done, 100))
  }
}

export class SentinelSet {
  private readonly children: ChildProcess[] = []
  private master?: ChildProcess
  private readonly probes: Redis[] = []
  private readonly probeByPort = new Map<number, Redis>()

  private constructor(
    readonly name: string,
    private readonly dir: string,
    readonly masterPort: number,
    readonly replicaPort: number,
    readonly sentinelPorts: number[],
  ) {}

  get url(): string {
    return `redis+sentinel://${this.sentinelPorts.map((port) => `127.0.0.1:${port}`).join(',')}/${this.name}`
  }

  static async start(name: string, binaries: SentinelBinaries, options: { downAfterMs?: number } = {}): Promise<SentinelSet> {
    const dir = mkdtempSync(join(tmpdir(), 'ssb-sentinel-'))
    const [masterPort, replicaPort, ...sentinelPorts] = await Promise.all(Array.from({ length: 5 }, freePort))
    const set = new SentinelSet(name, dir, masterPort!, replicaPort!, sentinelPorts)
    try {
      await set.launch(binaries, options.downAfterMs ?? 1_000)
    } catch (error) {
      await set.stop()
      throw error
    }
    return set
  }

  private run(command: string[]): ChildProcess {
    const child = spawn(command[0]!, command.slice(1), { stdio: 'ignore' })
    child.once('error', () => undefined)
    this.children.push(child)
    return child
  }

  private node(port: number, extra: string[] = []): string[] {
    return ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir, '--dbfilename', `dump-${port}.rdb`, '--logfile', join(this.dir, `redis-${port}.log`), ...extra]
  }

  private probe(port: number): Redis {
    const known = this.probeByPort.get(port)
    if (known) return known
    const probe = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 200, enableOfflineQueue: true })
    probe.on('error', () => undefined) // a node that is not up yet, or was killed: the callers poll
    this.probes.push(probe)
    this.probeByPort.set(port, probe)
    return probe
  }

  private async launch(binaries: SentinelBinaries, downAfterMs: number): Promise<void> {
    this.master = this.run([binaries.server, ...this.node(this.masterPort)])
    this.run([binaries.server, ...this.node(this.replicaPort, ['--replicaof', '127.0.0.1', String(this.masterPort)])])
    const replica = this.probe(this.replicaPort)
    await until(async () => /master_link_status:up/.test(await replica.info('replication')), 10_000, 'the replica to sync with the master')

    for (const port of this.sentinelPorts) {
      const conf = join(this.dir, `sentinel-${port}.conf`)
      writeFileSync(
        conf,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          `dir ${this.dir}`,
          `logfile ${join(this.dir, `sentinel-${port}.log`)}`,
          `sentinel monitor ${this.name} 127.0.0.1 ${this.masterPort} 2`,
          `sentinel down-after-milliseconds ${this.name} ${downAfterMs}`,
          `sentinel failover-timeout ${this.name} 10000`,
          `sentinel parallel-syncs ${this.name} 1`,
          '',
        ].join('\n'),
      )
      this.run([...binaries.sentinel, conf])
    }
    // Each sentinel must know the replica (to promote it) and the two others (to reach a quorum).
    for (const port of this.sentinelPorts) {
      const sentinel = this.probe(port)
      await until(
        async () =>
          ((await sentinel.call('SENTINEL', 'REPLICAS', this.name)) as unknown[]).length === 1 && ((await sentinel.call('SENTINEL', 'SENTINELS', this.name)) as unknown[]).length === 2,
        20_000,
        `sentinel ${port} to discover the replica and the other sentinels`,
      )
    }
  }

  /** A connection straight to the current master's port (not through Sentinel), for inspecting it. */
  connectMaster(): Redis {
    return this.probe(this.masterPort)
  }

  /** Whether the replica has everything the master has written so far. */
  async replicaCaughtUp(): Promise<boolean> {
    const offset = (info: string, field: string) => Number(new RegExp(`${field}:(\\d+)`).exec(info)?.[1] ?? -1)
    const master = offset(await this.connectMaster().info('replication'), 'master_repl_offset')
    const replica = offset(await this.probe(this.replicaPort).info('replication'), 'slave_repl_offset')
    return replica >= master
  }

  /** SIGKILL: the master dies mid-write, with no shutdown and no last save. */
  async killMaster(): Promise<void> {
    const master = this.master
    if (!master || master.exitCode !== null || master.signalCode !== null) return
    const exited = new Promise((done) => master.once('exit', done))
    master.kill('SIGKILL')
    await exited
  }

  /** Until every sentinel names the replica as the master. */
  async waitForFailover(timeoutMs = 20_000): Promise<void> {
    for (const port of this.sentinelPorts) {
      const sentinel = this.probe(port)
      await until(async () => {
        const [, masterPort] = (await sentinel.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', this.name)) as [string, string]
        return Number(masterPort) === this.replicaPort
      }, timeoutMs, `sentinel ${port} to promote the replica`)
    }
  }

  async stop(): Promise<void> {
    for (const probe of this.probes) probe.disconnect()
    await Promise.all(
      this.children.map(
        (child) =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done()
            child.once('exit', () => done())
            child.kill('SIGKILL')
          }),
      ),
    )
    rmSync(this.dir, { recursive: true, force: true })
  }
}
