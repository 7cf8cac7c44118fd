/**
 * How long this process's event loop was held up, second by second, for /readyz: a request waits behind
 * whatever runs on the loop (an indexing step, a snapshot slice, a garbage collection, another search), so the
 * longest delay of a second is the longest extra wait any request of that second could have had.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/**
 * Sampling interval (ms). Node records the time between two firings of a timer of this interval, so an idle
 * loop reads about 1 ms and a task of N ms reads N to N + 1 ms; at 10 ms, which the snapshot log used, a 10 ms
 * target could not be told from 20 ms. A 1 ms timer costs a few microseconds a millisecond.
 */
export const EVENT_LOOP_RESOLUTION_MS = 1;
/** Seconds of history /readyz shows. */
export const EVENT_LOOP_HISTORY_S = 120;

export interface EventLoopStatus {
  resolutionMs: number;
  /** The longest delay of each of the last whole seconds (ms), oldest first; the last one ended at `endsAt`. */
  perSecondMaxMs: number[];
  /** The end of the last whole second recorded (ISO), or null before the first. */
  endsAt: string | null;
  /** The longest delay since the monitor started (ms), and the end of the second it fell in. */
  maxMs: number;
  maxAt: string | null;
}

export class EventLoopMonitor {
  private histogram: IntervalHistogram | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly seconds: number[] = [];
  private endsAt: number | null = null;
  private maxMs = 0;
  private maxAt: number | null = null;

  constructor(
    private readonly historySeconds = EVENT_LOOP_HISTORY_S,
    private readonly resolutionMs = EVENT_LOOP_RESOLUTION_MS,
  ) {}

  start(): void {
    if (this.histogram) return;
    this.histogram = monitorEventLoopDelay({ resolution: this.resolutionMs });
    this.histogram.enable();
    this.timer = setInterval(() => this.closeSecond(), 1000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.histogram?.disable();
    this.histogram = undefined;
  }

  /**
   * Ends the current second: records its longest delay and starts the next one. A stall that spans the
   * boundary is recorded in the second whose timer fired after it, which may be the next one.
   */
  closeSecond(now = Date.now()): void {
    const histogram = this.histogram;
    if (!histogram) return;
    // No sample means the loop never got round to the timer: count the whole second as held up.
    const ms = histogram.count === 0 ? 1000 : Math.round(histogram.max / 1e5) / 10;
    histogram.reset();
    this.record(ms, now);
  }

  /** Records a second's longest delay; public for the tests, which cannot stall the loop on cue. */
  record(ms: number, now: number): void {
    this.seconds.push(ms);
    if (this.seconds.length > this.historySeconds) this.seconds.shift();
    this.endsAt = now;
    if (ms > this.maxMs) {
      this.maxMs = ms;
      this.maxAt = now;
    }
  }

  status(): EventLoopStatus {
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    return {
      resolutionMs: this.resolutionMs,
      perSecondMaxMs: [...this.seconds],
      endsAt: iso(this.endsAt),
      maxMs: this.maxMs,
      maxAt: iso(this.maxAt),
    };
  }
}
