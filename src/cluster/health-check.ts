/**
 * Active health checks for the replicas, which open-source nginx lacks: polls each replica's /readyz and
 * reports the set of ready ones (as upstreams with `down` flags) whenever it changes.
 */
import type { Upstream } from './nginx.js';

export interface ReadinessWatcherOptions {
  /** Pause between two rounds of checks. Default 500 ms. */
  intervalMs?: number;
  /** Per check; a replica that does not answer in time counts as not ready. Default 1000 ms. */
  timeoutMs?: number;
  /** Called after the first round and whenever the ready set changes; rounds wait for it to finish. */
  onChange(upstreams: Upstream[]): void | Promise<void>;
  /** When onChange fails; the change is reported again after the next round. Default: ignored. */
  onError?(error: unknown): void;
}

export class ReadinessWatcher {
  private replicas: Upstream[];
  private readonly intervalMs: number;
  private readonly timeoutMs: number;
  private readonly options: ReadinessWatcherOptions;
  /** The ready set onChange last accepted, as `host:port` keys; null before the first report. */
  private reported: string | null = null;
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private running = false;

  constructor(replicas: Upstream[], options: ReadinessWatcherOptions) {
    this.replicas = replicas;
    this.intervalMs = options.intervalMs ?? 500;
    this.timeoutMs = options.timeoutMs ?? 1000;
    this.options = options;
  }

  /** Starts polling; the first round runs at once. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stops polling and waits for a round in progress (and its onChange) to finish. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.round;
  }

  /** Replaces the replicas to watch (a replica restarted on another port); the next round reports. */
  setReplicas(replicas: Upstream[]): void {
    this.replicas = replicas;
    this.reported = null;
  }

  /** One round of checks: every replica, with `down` set on those not ready. */
  async check(): Promise<Upstream[]> {
    const ready = await Promise.all(this.replicas.map((r) => this.isReady(r)));
    return this.replicas.map((r, i) => ({ host: r.host, port: r.port, down: !ready[i] }));
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => {
      this.round = this.poll().finally(() => {
        if (this.running) this.schedule(this.intervalMs);
      });
    }, ms);
  }

  private async poll(): Promise<void> {
    const replicas = this.replicas;
    const upstreams = await this.check();
    if (!this.running || replicas !== this.replicas) return;
    const key = JSON.stringify(upstreams.map((u) => [u.host, u.port, u.down]));
    if (key === this.reported) return;
    try {
      await this.options.onChange(upstreams);
      this.reported = key;
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  private async isReady({ host, port }: Upstream): Promise<boolean> {
    try {
      const address = host.includes(':') ? `[${host}]` : host;
      const res = await fetch(`http://${address}:${port}/readyz`, { signal: AbortSignal.timeout(this.timeoutMs) });
      await res.body?.cancel();
      return res.status === 200;
    } catch {
      return false;
    }
  }
}
