/** Runs the real server (src/main.ts) as a child process, as `npm start` does, and reads its JSON log lines. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT } from './shared.js';

export interface ChildServer {
  child: ChildProcess;
  lines: Array<Record<string, unknown>>;
  /** The first log line (at or after index `after`) whose message matches. */
  waitFor(pattern: RegExp, after?: number, ms?: number): Promise<Record<string, unknown>>;
}

export function startChildServer(env: Record<string, string>): ChildServer {
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
  const waitFor = async (pattern: RegExp, after = 0, ms = 60_000) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = lines.slice(after).find((l) => pattern.test(String(l.msg)));
      if (found) return found;
      if (Date.now() > deadline || child.exitCode !== null) {
        throw new Error(`no log line matching ${pattern}; last lines: ${JSON.stringify(lines.slice(-5))}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { child, lines, waitFor };
}
