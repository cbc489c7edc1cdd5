/**
 * Let the worker answer the messages waiting for it (row requests, a newer filter) between two
 * slices of a long job. A MessageChannel round trip, not setTimeout(0): nested timeouts are
 * clamped to 4 ms, which a job of hundreds of slices would pay each time.
 */
const channel = typeof MessageChannel !== 'undefined' ? new MessageChannel() : undefined;
const waiting: (() => void)[] = [];
if (channel) {
  channel.port1.onmessage = () => waiting.shift()?.();
  // Node (tests): a port with a listener keeps the process alive unless unref'd.
  (channel.port1 as unknown as { unref?: () => void }).unref?.();
}

export function yieldNow(): Promise<void> {
  if (!channel) return new Promise((r) => setTimeout(r, 0));
  return new Promise((r) => {
    waiting.push(r);
    channel.port2.postMessage(0);
  });
}
