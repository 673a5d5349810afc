import type { Redis } from 'ioredis'

/**
 * Holds this connection's writes until the current burst of promise callbacks has run, then
 * sends them in one write: the delivery worker's ledger record and BullMQ's completion of the
 * same job, issued one after the other, then reach Redis in one packet instead of two, which
 * spares both processes a system call per delivery (docs/benchmarks.md, "hot path"). Order on the
 * connection is unchanged; only the number of writes is. Nothing happens unless connected.
 */
export function writeTogetherWithNextCommands(connection: Redis): void {
  const socket = connection.stream as { cork?: () => void; uncork?: () => void } | undefined
  if (connection.status !== 'ready' || !socket?.cork || !socket.uncork) return
  socket.cork()
  // process.nextTick runs after the promise callbacks already queued, so BullMQ's completion,
  // issued from them once the processor returns, is inside the held write.
  process.nextTick(() => socket.uncork!())
}
