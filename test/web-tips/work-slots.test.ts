import { describe, expect, it } from 'vitest'
import { SlotsBusyError, WorkSlots } from '../../src/web-tips/work-slots.js'

describe('work slots for the page\'s costly work', () => {
  it('run a few at a time, queue a few more, and refuse the rest at once', async () => {
    const slots = new WorkSlots(2, 1)
    let running = 0
    let most = 0
    const releases: (() => void)[] = []
    const job = () =>
      slots.run(async () => {
        running++
        most = Math.max(most, running)
        await new Promise<void>((resolve) => releases.push(resolve))
        running--
        return 'done'
      })
    const accepted = [job(), job(), job()]
    await expect(job()).rejects.toBeInstanceOf(SlotsBusyError)
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(releases).toHaveLength(2)
    releases.shift()!()
    await new Promise((resolve) => setTimeout(resolve, 10))
    releases.splice(0).forEach((release) => release())
    await new Promise((resolve) => setTimeout(resolve, 10))
    releases.splice(0).forEach((release) => release())
    expect(await Promise.all(accepted)).toEqual(['done', 'done', 'done'])
    expect(most).toBe(2)
  })
})
