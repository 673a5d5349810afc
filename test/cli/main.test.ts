import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createConnection } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/** Enough schools that `schools` prints far more than a pipe holds (64 KB). */
const schoolCount = 3000
let dataDir: string

function adminEnv(): NodeJS.ProcessEnv {
  // No REDIS_URL: the CLI starts its own private redis-server under DATA_DIR, and must stop it.
  return { ...process.env, DATA_DIR: dataDir, REDIS_URL: '', LOG_LEVEL: 'silent' }
}

function socketAnswers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(path)
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'ssb-cli-'))
  const schools = Array.from({ length: schoolCount }, (_, i) => `  - code: THCS-SO-${String(i).padStart(4, '0')}\n    name: Trường THCS số ${i}\n    level: THCS\n    ward: Phường Lê Chân`)
  const officers = `officers:\n  - id: vp-so-gddt\n    name: Nguyễn Thị Lan\n    role: coordinator\n    schools: ['*']\n    contacts:\n      telegram: '100000001'`
  writeFileSync(join(dataDir, 'directory.yaml'), `schools:\n${schools.join('\n')}\n${officers}\n`)
  const imported = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'import', join(dataDir, 'directory.yaml')], { env: adminEnv(), encoding: 'utf8', timeout: 60_000 })
  expect(imported.status, imported.stderr).toBe(0)
}, 90_000)

afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

describe('npm run admin -- … | head', () => {
  it('stops quietly when the reader goes away, and leaves no redis-server behind', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'schools'], { env: adminEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    // `head -2`: read the heading and the first school, then close the pipe.
    const firstLine = await new Promise<string>((resolve) => {
      let seen = ''
      child.stdout.on('data', (chunk: Buffer) => {
        seen += chunk.toString()
        const lines = seen.split('\n')
        if (lines.length > 2) {
          child.stdout.destroy()
          resolve(lines[1]!)
        }
      })
    })
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve))
    expect(firstLine).toMatch(/^THCS-SO-0000\tTrường THCS số 0\t/)
    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(await socketAnswers(join(dataDir, 'redis', 'redis.sock')), 'the private redis-server still runs').toBe(false)
  }, 60_000)
})
