/**
 * Readies the query engine of each new index generation in the background: block maxima for every long
 * posting list (and with them the engine's field-length cache) and the pair signatures of paragraphs loaded
 * from a snapshot, in slices that yield to the event loop, so
 * the first query on a frequent word after start-up or a rebuild costs what every later one does.
 */
import { walkTerms } from '../index/minisearch-internals.js';
import type { SearchIndex } from '../index/search-index.js';
import { engineFor, MIN_POSTINGS_FOR_PRUNING, type QueryEngine } from '../query/engine.js';

/** Work per slice before yielding: well under the 10 ms a task may take. */
const SLICE_MS = 4;
/** How often a new generation (a loaded snapshot, a rebuild) is looked for. */
const CHECK_EVERY_MS = 1_000;

export interface WarmUpReport {
  lists: number;
  postings: number;
  slices: number;
  ms: number;
}

export class EngineWarmUp {
  private warmed: QueryEngine | null = null;
  private running: Promise<WarmUpReport | null> | null = null;
  private timer: NodeJS.Timeout | undefined;
  /** The last finished warm-up (for the status and tests). */
  last: WarmUpReport | null = null;

  constructor(
    private readonly index: SearchIndex,
    private readonly options: { sliceMs?: number; onDone?: (report: WarmUpReport) => void } = {},
  ) {}

  /** Warms the current generation now, then each new one within CHECK_EVERY_MS of its arrival. */
  start(): void {
    void this.warm();
    this.timer = setInterval(() => {
      if (engineFor(this.index) !== this.warmed) void this.warm();
    }, CHECK_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /**
   * Builds the maxima of every list of the current generation with at least MIN_POSTINGS_FOR_PRUNING
   * postings; resolves when done (null if a newer generation replaced it meanwhile: that one is warmed next).
   */
  warm(): Promise<WarmUpReport | null> {
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async run(): Promise<WarmUpReport | null> {
    const engine = engineFor(this.index);
    const mini = this.index.miniSearch;
    const sliceMs = this.options.sliceMs ?? SLICE_MS;
    const started = performance.now();
    const report: WarmUpReport = { lists: 0, postings: 0, slices: 1, ms: 0 };
    let sliceStart = performance.now();
    // A live walk: terms added meanwhile may be missed (their maxima are built on first use), and a list met
    // twice is only brought up to date twice.
    for (const [, fields] of walkTerms(mini)) {
      for (const [field, postings] of fields) {
        if (postings.size < MIN_POSTINGS_FOR_PRUNING) continue;
        engine.blockMaxima(postings, field);
        report.lists++;
        report.postings += postings.size;
      }
      if (performance.now() - sliceStart >= sliceMs) {
        await new Promise((resolve) => setImmediate(resolve));
        report.slices++;
        // The generation changed under the walk: leave it, the next check warms the new one.
        if (engineFor(this.index) !== engine) return null;
        sliceStart = performance.now();
      }
    }
    // The pair signatures of paragraphs loaded from a snapshot (phrases check them before positions).
    while (!this.index.positions.signPending(Math.max(0, sliceMs - (performance.now() - sliceStart)))) {
      await new Promise((resolve) => setImmediate(resolve));
      report.slices++;
      if (engineFor(this.index) !== engine) return null;
      sliceStart = performance.now();
    }
    report.ms = Math.round(performance.now() - started);
    this.warmed = engine;
    this.last = report;
    this.options.onDone?.(report);
    return report;
  }
}
