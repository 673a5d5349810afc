import { afterEach, describe, expect, it } from 'vitest'
import { responseTimesWithCategories } from '../../tips/tip-response-files.js'
import { TipsHarness } from './tips-harness.js'

const student = 701
const chat = { coordinator: '100000001', focal: '100000004', drugs: '100000005' }
const minute = 60_000

let harnesses: TipsHarness[] = []
afterEach(async () => {
  await Promise.all(harnesses.map((h) => h.stop()))
  harnesses = []
})

async function harness(start?: Date, options: Parameters<TipsHarness['start']>[0] = {}): Promise<TipsHarness> {
  const h = await new TipsHarness(start).start(options)
  harnesses.push(h)
  return h
}

/** Runs the SLA check at `at` and says who holds the tip then. */
async function holderAt(h: TipsHarness, tipId: string, at: Date): Promise<string | undefined> {
  h.clock.set(at)
  await h.feature.sla.processDueSla()
  return (await h.feature.store.get(tipId))?.holder
}

function escalationsTo(h: TipsHarness, chatId: string): string[] {
  return h.to(chatId).filter((m) => m.plain.includes('chưa được tiếp nhận')).map((m) => m.plain)
}

describe('acknowledgement times from schedules/tip-response.yaml', () => {
  it('escalates a category with its own hours in the file after those hours; the others keep the default', async () => {
    const faster = await harness(undefined, { responseTimes: responseTimesWithCategories('{ ma-tuy: 1 }') })
    const shipped = await harness()
    const fast = await faster.fileTip(student)
    const usual = await shipped.fileTip(student)
    const filed = (await faster.feature.store.get(fast))!.createdAt // Monday 15/06/2026 09:01
    expect((await shipped.feature.store.get(usual))!.createdAt).toEqual(filed)

    expect(await holderAt(faster, fast, new Date(filed.getTime() + 60 * minute - 1000))).toBe('gv-ngo-quyen-matuy')
    expect(await holderAt(faster, fast, new Date(filed.getTime() + 60 * minute))).toBe('dm-ngo-quyen')
    expect(escalationsTo(faster, chat.focal)).toEqual([expect.stringContaining('chưa được tiếp nhận sau 1 giờ làm việc')])
    expect(escalationsTo(faster, chat.coordinator)).toEqual([expect.stringContaining('sau 1 giờ làm việc')])

    // The shipped file: 4 working hours, over the lunch break, so 15:01.
    expect(await holderAt(shipped, usual, new Date(filed.getTime() + 60 * minute))).toBe('gv-ngo-quyen-matuy')
    expect(await holderAt(shipped, usual, new Date(filed.getTime() + 360 * minute - 1000))).toBe('gv-ngo-quyen-matuy')
    expect(await holderAt(shipped, usual, new Date(filed.getTime() + 360 * minute))).toBe('dm-ngo-quyen')
    expect(escalationsTo(shipped, chat.focal)).toEqual([expect.stringContaining('chưa được tiếp nhận sau 4 giờ làm việc')])
  })

  it('does not count the holiday Monday after a Friday tip: due Tuesday 10:30, escalated only then', async () => {
    // Friday 24/04/2026 15:59 in Vietnam; fileTip takes a minute. Monday 27/04 is the nghỉ bù of Giỗ Tổ.
    const h = await harness(new Date('2026-04-24T08:59:00Z'))
    const tipId = await h.fileTip(student)
    const tip = (await h.feature.store.get(tipId))!
    expect(tip.createdAt).toEqual(new Date('2026-04-24T09:00:00Z'))
    const tuesday1030 = new Date('2026-04-28T03:30:00Z')
    expect(tip.ackDueAt).toEqual(tuesday1030)

    expect(await holderAt(h, tipId, new Date('2026-04-27T09:00:00Z'))).toBe('gv-ngo-quyen-matuy') // Monday 16:00
    expect(await holderAt(h, tipId, new Date(tuesday1030.getTime() - 1000))).toBe('gv-ngo-quyen-matuy')
    expect(escalationsTo(h, chat.focal)).toEqual([])
    expect(await holderAt(h, tipId, tuesday1030)).toBe('dm-ngo-quyen')
    expect(escalationsTo(h, chat.focal)).toEqual([expect.stringContaining('sau 4 giờ làm việc')])
  })
})
