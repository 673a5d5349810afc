import { z } from 'zod'
import { isSendingDay, isWithinSendingHours, type TimeOfDay } from '../core/quiet-hours.js'
import { readYamlFile, validateDataFile } from '../core/data-file.js'
import { dayOfYear } from './post-front-matter.js'
import { topics } from './topics.js'

export const weekdayIds = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const
const minutesPerWeek = 7 * 24 * 60

const timeOfDay = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be "HH:MM" in quotes, such as "07:00"' })
  .transform((text): TimeOfDay => ({ hour: Number(text.slice(0, 2)), minute: Number(text.slice(3)) }))
  .refine(isWithinSendingHours, { error: 'falls outside the sending hours 06:30-20:00' })

const weeklySlot = z
  .object({
    weekday: z.enum(weekdayIds, { error: `must be one of ${weekdayIds.slice(1).join(', ')}` }).transform((id) => weekdayIds.indexOf(id)),
    time: timeOfDay,
  })
  .strict()
  .refine((slot) => isSendingDay(slot.weekday), { error: 'falls on Sunday, when the bot stays quiet' })

export type WeeklySlot = z.infer<typeof weeklySlot>

const topic = z.enum(topics, { error: `must be one of ${topics.join(', ')}` })

const theme = z
  .object({
    topic,
    weight: z.number().positive({ error: 'must be a positive number' }),
    name: z.string().optional(),
    months: z.array(z.number().int().min(1).max(12)).min(1).optional(),
    from: dayOfYear.optional(),
    to: dayOfYear.optional(),
  })
  .strict()
  .refine((t) => (t.months !== undefined) !== (t.from !== undefined && t.to !== undefined) && (t.from === undefined) === (t.to === undefined), {
    error: 'must give either months, or both from and to (days "dd/mm")',
  })

export type Theme = z.infer<typeof theme>

const campaignDay = z.object({ day: dayOfYear, topic, name: z.string().min(3) }).strict()

export type CampaignDay = z.infer<typeof campaignDay>

export const postingScheduleSchema = z
  .object({
    slots: z.array(weeklySlot).min(1),
    minGapHours: z.number().positive().max(24 * 7),
    campaignSlotTime: timeOfDay,
    schools: z.record(z.string(), z.object({ slots: z.array(weeklySlot).min(1) }).strict()).default({}),
    baseWeight: z.number().positive().default(1),
    themes: z.array(theme).default([]),
    campaignDays: z.array(campaignDay).default([]),
  })
  .strict()
  .superRefine((schedule, ctx) => {
    const tooClose = (slots: WeeklySlot[], path: (string | number)[]) => {
      if (!slotsKeepGap(slots, schedule.minGapHours)) {
        ctx.addIssue({ code: 'custom', path, message: `has two posts closer than minGapHours (${schedule.minGapHours} h) in the same week` })
      }
    }
    tooClose(schedule.slots, ['slots'])
    for (const [code, school] of Object.entries(schedule.schools)) tooClose(school.slots, ['schools', code, 'slots'])
    const seen = new Set<string>()
    schedule.campaignDays.forEach((day, index) => {
      if (seen.has(day.day)) ctx.addIssue({ code: 'custom', path: ['campaignDays', index, 'day'], message: `repeats ${day.day}` })
      seen.add(day.day)
    })
  })

export type PostingSchedule = z.infer<typeof postingScheduleSchema>

/** Weekly slots repeat, so the gap from the week's last slot to the next week's first counts too. */
function slotsKeepGap(slots: WeeklySlot[], minGapHours: number): boolean {
  const minutes = slots.map((slot) => slot.weekday * 1440 + slot.time.hour * 60 + slot.time.minute).sort((a, b) => a - b)
  return minutes.every((at, index) => {
    const next = index + 1 < minutes.length ? minutes[index + 1]! : minutes[0]! + minutesPerWeek
    return next - at >= minGapHours * 60 || minutes.length === 1
  })
}

export function readPostingSchedule(path: string): PostingSchedule {
  const raw = readYamlFile(path)
  return validateDataFile(postingScheduleSchema, raw, path)
}

/** What the slot rules need for one school: its weekly slots (its own or the default) and the shared rules. */
export interface PostingPlan {
  slots: WeeklySlot[]
  minGapMs: number
  campaignSlotTime: TimeOfDay
  campaignDays: CampaignDay[]
}

export function planForSchool(schedule: PostingSchedule, schoolCode: string): PostingPlan {
  return {
    slots: schedule.schools[schoolCode]?.slots ?? schedule.slots,
    minGapMs: schedule.minGapHours * 3600_000,
    campaignSlotTime: schedule.campaignSlotTime,
    campaignDays: schedule.campaignDays,
  }
}
