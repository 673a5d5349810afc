import type { ButtonEvent } from '../../src/core/events.js'
import type { HandlerContext } from '../../src/core/handler.js'
import type { Router } from '../../src/core/router.js'
import type { ReportingCalendar } from '../../src/deadlines/calendar.js'
import { progressButtonPrefix } from '../../src/deadlines/progress-report.js'
import { deadlineButtonPrefix, parseReminderButton } from '../../src/deadlines/reminder-message.js'
import type { Directory } from '../../src/directory/directory.js'
import { paths } from '../../src/data-paths.js'
import { deadlineAdminCommands, deadlineCommandsUsage } from '../../src/deadlines/deadline-commands.js'
import { DeadlineDrafts } from '../../src/deadlines/deadline-drafts.js'
import { DeadlineStore } from '../../src/deadlines/deadline-store.js'
import { loadDeadlineCalendar } from '../../src/deadlines/known-deadlines.js'
import { bundleOpenCondition, createReminderPlanner, deadlineOpenCondition, reminderBundleConditionKind, reminderConditionKind } from '../../src/deadlines/reminder-planner.js'
import { parseBundleButton } from '../../src/deadlines/reminder-bundle.js'
import type { Feature } from '../../src/feature.js'
import { continueNewDeadline, draftButtonPrefix, onDraftButton, startNewDeadline } from './new-deadline-conversation.js'
import { onProgressButton, showProgress } from './progress-command.js'
import { onBundleButton, onReminderButton } from './reminder-buttons.js'

export interface DeadlinesFeatureDeps {
  directory: Directory
  store: DeadlineStore
  drafts: DeadlineDrafts
  /** The same calendar the reminder planner uses (loadDeadlineCalendar()). */
  calendar: ReportingCalendar
}

/**
 * Reporting deadlines in chats: the reminder's "sent" and "later" buttons in school groups,
 * /tiendo (who has not confirmed yet) and /baocao_moi (a new ad hoc deadline) in private.
 * The conversation's typed answers are a private-chat message handler: register this feature
 * before any feature that takes every private message (the tip conversation).
 */
export function registerDeadlinesFeature(router: Router, deps: DeadlinesFeatureDeps): void {
  router.button(deadlineButtonPrefix, (ctx) => onDeadlineButton(ctx, deps))
  router.command(['tiendo', 'tien_do'], (ctx) => showProgress(ctx, deps))
  router.button(progressButtonPrefix, (ctx) => onProgressButton(ctx, deps))
  router.command(['baocao_moi', 'baocaomoi', 'bao_cao_moi'], (ctx) => startNewDeadline(ctx, deps))
  router.message((ctx) => continueNewDeadline(ctx, deps), 'private')
}

/**
 * Reporting deadlines: the chat handlers above, the reminder planner, the condition that drops a
 * queued reminder once the school has confirmed, and `deadline`, `plan`, `progress` on the CLI.
 * Before tips in the list: /baocao_moi's typed answers come from the coordinator, whose private
 * text the tips feature would otherwise take.
 */
export const deadlinesFeature: Feature = {
  name: 'deadlines',
  register(router, deps) {
    const store = new DeadlineStore(deps.redis, deps.keys)
    const calendar = loadDeadlineCalendar(paths.reportingCalendar)
    registerDeadlinesFeature(router, { directory: deps.directory, store, drafts: new DeadlineDrafts(deps.redis, deps.keys), calendar })
    return {
      planners: [createReminderPlanner({ directory: deps.directory, outbox: deps.outbox, store, calendar, logger: deps.logger })],
      deliveryConditions: {
        [reminderConditionKind]: deadlineOpenCondition(store, { clock: deps.clock, directory: deps.directory }),
        [reminderBundleConditionKind]: bundleOpenCondition(store, { clock: deps.clock, directory: deps.directory, calendar }),
      },
    }
  },
  cli: { commands: deadlineAdminCommands, usage: deadlineCommandsUsage },
}

async function onDeadlineButton(ctx: HandlerContext<ButtonEvent>, deps: DeadlinesFeatureDeps): Promise<void> {
  const reminder = parseReminderButton(ctx.event.data)
  if (reminder) return onReminderButton(ctx, deps, reminder)
  const bundled = parseBundleButton(ctx.event.data)
  if (bundled) return onBundleButton(ctx, deps, bundled)
  if (ctx.event.data.startsWith(draftButtonPrefix)) return onDraftButton(ctx, deps, ctx.event.data.slice(draftButtonPrefix.length))
}
