/**
 * Long main-thread work cut into slices: a generator does the work and yields now and then (every
 * few tens of thousands of points); `runSliced` runs it for at most `budgetMs` per task, then lets
 * the browser paint and handle input (a MessageChannel task: not clamped as nested setTimeouts
 * are) before going on. So building a chart of a million points never holds the main thread
 * longer than one slice.
 */
export type Steps<T> = Generator<void, T, void>;

/** Points between two yields of a loop. */
export const SLICE = 1 << 15;

/** Run `gen` to its end at once (tests, small data). */
export function runSync<T>(gen: Steps<T>): T {
  for (;;) {
    const r = gen.next();
    if (r.done) return r.value;
  }
}

let channel: MessageChannel | undefined;
const queue: (() => void)[] = [];

function nextTask(f: () => void): void {
  if (typeof MessageChannel === 'undefined') {
    setTimeout(f, 0);
    return;
  }
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => queue.shift()?.();
  }
  queue.push(f);
  channel.port2.postMessage(0);
}

/** Run `gen` in slices of at most `budgetMs`; stops (never settles) once `signal.aborted`. */
export function runSliced<T>(gen: Steps<T>, signal: { aborted: boolean }, budgetMs = 8): Promise<T> {
  return new Promise((resolve, reject) => {
    const slice = () => {
      if (signal.aborted) return;
      const end = performance.now() + budgetMs;
      try {
        for (;;) {
          const r = gen.next();
          if (r.done) return resolve(r.value);
          if (performance.now() >= end) break;
        }
      } catch (e) {
        return reject(e instanceof Error ? e : new Error(String(e)));
      }
      nextTask(slice);
    };
    slice();
  });
}
