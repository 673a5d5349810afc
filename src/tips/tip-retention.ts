import type { Logger } from 'pino'
import type { Planner } from '../scheduling/planner-ticker.js'
import type { TipStore } from './tip-store.js'

export interface TipRetentionDeps {
  store: TipStore
  retentionDays: number
  logger: Logger
  /** Removes failed private delivery jobs created before the date (Outbox.removeFailedPrivate). */
  removeFailedDeliveries?: (before: Date) => Promise<number>
  /** What else goes with a purged tip (a web tip's thread, passphrase hash and photos). */
  onPurged?: (tipId: string) => Promise<void>
}

const dayMs = 86_400_000

/**
 * Tips closed or rejected more than `retentionDays` ago lose what the tipster wrote, their
 * photos, contact and the sealed way back to them; what statistics count stays. Failed private
 * deliveries older than that go too. Idempotent: a
 * purged tip leaves the retention index, and purging checks it was not purged already.
 */
export function createTipRetentionPlanner(deps: TipRetentionDeps): Planner {
  return {
    name: 'tip-retention',
    async plan(now) {
      const cutoff = new Date(now.getTime() - deps.retentionDays * dayMs)
      // A message about a tip that failed to go out still holds its words: it goes with the tip.
      const removed = (await deps.removeFailedDeliveries?.(cutoff)) ?? 0
      if (removed > 0) deps.logger.info({ removed }, 'failed private deliveries removed after the retention period')
      for (;;) {
        const ids = await deps.store.finishedBefore(cutoff, 200)
        if (ids.length === 0) return
        for (const id of ids) {
          const result = await deps.store.purge(id, now)
          if (result.ok) await deps.onPurged?.(id)
          if (result.ok) deps.logger.info({ tipId: id }, 'tip purged after the retention period')
          else deps.logger.warn({ tipId: id, reason: result.reason }, 'tip in the retention index could not be purged; dropped from the index')
          if (!result.ok) await deps.store.forgetFinished(id)
        }
      }
    },
  }
}
