/** Starts the real server (src/main.ts) as a child process for benchmarks, and reads its JSON log. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT } from './words.js';

export interface RunningServer {
  child: ChildProcess;
  port: number;
  lines: Array<Record<string, unknown>>;
  waitFor(pattern: RegExp, after?: number, ms?: number): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

export async function startServer(env: Record<string, string>): Promise<RunningServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src', 'main.ts')], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: Array<Record<string, unknown>> = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      lines.push(JSON.parse(line));
    } catch {
      lines.push({ msg: line });
    }
  });
  const waitFor = async (pattern: RegExp, after = 0, ms = 30 * 60_000) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = lines.slice(after).find((l) => pattern.test(String(l.msg)));
      if (found) return found;
      if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}) before logging ${pattern}`);
      if (Date.now() > deadline) throw new Error(`no log line ${pattern} within ${ms} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const listening = await waitFor(/^listening on/);
  return {
    child,
    port: Number(listening.port),
    lines,
    waitFor,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

/** Waits until /readyz answers 200. */
export async function waitReady(port: number, ms = 30 * 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('server never became ready');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** p-th percentile (0–100) of a list, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
