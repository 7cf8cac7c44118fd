/** Starts the real server (src/main.ts) as a child process for benchmarks, and reads its JSON log. */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, linkSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './words.js';

/** The real server as a child process, and its JSON log lines as they come. */
export interface ServerProcess {
  child: ChildProcess;
  lines: Array<Record<string, unknown>>;
  /** The first log line (at or after index `after`) whose message matches; throws if the server exits first. */
  waitFor(pattern: RegExp, after?: number, ms?: number): Promise<Record<string, unknown>>;
}

export interface RunningServer extends ServerProcess {
  port: number;
  stop(): Promise<void>;
}

/**
 * Spawns src/main.ts as `npm start` does (port 0 on 127.0.0.1 unless `env` says otherwise); does not wait.
 * @param nodeArgs  more options for node (`--cpu-prof`, which NODE_OPTIONS refuses)
 */
export function spawnServer(env: Record<string, string>, defaultWaitMs = 30 * 60_000, nodeArgs: readonly string[] = []): ServerProcess {
  // A million paragraphs need more heap than Node's default limit; the benchmark's server may use most of RAM.
  const heapMb = Math.floor((totalmem() / 2 ** 20) * 0.75);
  const child = spawn(process.execPath, [`--max-old-space-size=${heapMb}`, ...nodeArgs, '--import', 'tsx', join(REPO_ROOT, 'src', 'main.ts')], {
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
  const waitFor = async (pattern: RegExp, after = 0, ms = defaultWaitMs) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = lines.slice(after).find((l) => pattern.test(String(l.msg)));
      if (found) return found;
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`no log line matching ${pattern} (exit ${child.exitCode}); last lines: ${JSON.stringify(lines.slice(-5))}`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return { child, lines, waitFor };
}

/** Spawns the server and waits until it listens. */
export async function startServer(env: Record<string, string>, nodeArgs: readonly string[] = []): Promise<RunningServer> {
  const server = spawnServer(env, undefined, nodeArgs);
  const listening = await server.waitFor(/^listening on/);
  return {
    ...server,
    port: Number(listening.port),
    stop: async () => {
      if (server.child.exitCode !== null) return;
      server.child.kill('SIGTERM');
      await new Promise((resolve) => server.child.once('exit', resolve));
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

/** Whether the module at `moduleUrl` (its `import.meta.url`) is the script node was started with. */
export function isMain(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && moduleUrl === pathToFileURL(resolve(process.argv[1])).href;
}

/** A corpus the server may add files to, and a staging folder on the same file system for atomic renames. */
export interface WorkingCorpus {
  articlesDir: string;
  stagingDir: string;
  /** Removes both folders (the original corpus is never touched). */
  remove(): void;
}

/**
 * A working copy of `corpusDir` whose files are hard links, so a million-paragraph corpus is "copied" in
 * about a second: the benchmarks only ever add files (renames, admin POSTs), never change or delete one, so
 * the original stays as it was. Falls back to copying where links are refused (another file system).
 */
export function workingCorpus(corpusDir: string): WorkingCorpus {
  const root = mkdtempSync(join(tmpdir(), 'nieuwszoeker-bench-work-'));
  const articlesDir = join(root, 'articles');
  const stagingDir = join(root, 'staging');
  mkdirSync(articlesDir);
  mkdirSync(stagingDir);
  for (const entry of readdirSync(corpusDir, { withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const from = join(corpusDir, entry.name);
    const to = join(articlesDir, entry.name);
    try {
      linkSync(from, to);
    } catch {
      copyFileSync(from, to);
    }
  }
  return { articlesDir, stagingDir, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** The time of a log line (pino's epoch milliseconds). */
export function logTime(line: Record<string, unknown>): number {
  return Number(line.time);
}
