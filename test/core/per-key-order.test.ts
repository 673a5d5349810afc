import { describe, expect, it } from 'vitest'
import { PerKeyOrder } from '../../src/core/per-key-order.js'

const pause = (ms: number) => new Promise((done) => setTimeout(done, ms))

describe('PerKeyOrder', () => {
  it("runs one chat's work in the order it came, even when the first takes longer", async () => {
    const order = new PerKeyOrder()
    const seen: string[] = []
    await Promise.all([
      order.run('chat-1', async () => { await pause(30); seen.push('first') }),
      order.run('chat-1', async () => { seen.push('second') }),
    ])
    expect(seen).toEqual(['first', 'second'])
  })

  it("does not make one chat wait for another's", async () => {
    const order = new PerKeyOrder()
    const seen: string[] = []
    await Promise.all([
      order.run('chat-1', async () => { await pause(30); seen.push('slow chat') }),
      order.run('chat-2', async () => { seen.push('other chat') }),
    ])
    expect(seen).toEqual(['other chat', 'slow chat'])
  })

  it('goes on after a failure, and the failure reaches its own caller', async () => {
    const order = new PerKeyOrder()
    const failed = order.run('chat-1', async () => { throw new Error('handler broke') })
    const next = order.run('chat-1', async () => 'answered')
    await expect(failed).rejects.toThrow('handler broke')
    await expect(next).resolves.toBe('answered')
  })
})
