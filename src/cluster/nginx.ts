/**
 * nginx as the load balancer in front of the search replicas, on 127.0.0.1: owns its generated config
 * (every path inside one folder), start, reload with a new set of upstreams, and stop.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join, resolve } from 'node:path';
import { freePort } from './ports.js';

export const NGINX_BIN = process.env.NGINX_BIN ?? '/usr/sbin/nginx';

/** A replica behind the balancer; `down` ones get no requests. */
export interface Upstream {
  host: string;
  port: number;
  down?: boolean;
}

export interface Nginx {
  port: number;
  /** `http://127.0.0.1:PORT` */
  url: string;
  dir: string;
  /** Rewrites the config and reloads nginx; resolves once new connections see the new upstreams. */
  setUpstreams(upstreams: Upstream[]): Promise<void>;
  /** Stops nginx (fast: open requests are cut) and waits until its processes are gone. */
  stop(): Promise<void>;
}

export interface NginxOptions {
  /** Config, pid file, logs and temporary files all go here; created if missing. */
  dir: string;
  /** Default: a free port on 127.0.0.1. */
  port?: number;
  upstreams: Upstream[];
}

const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;
/** Answers which config is in force, so a reload is known to have taken effect; not passed to replicas. */
const GENERATION_PATH = '/.nginx/generation';

export function nginxAvailable(): boolean {
  return existsSync(NGINX_BIN);
}

/** Starts nginx in the foreground of a child process and waits until it answers on its port. */
export async function startNginx(options: NginxOptions): Promise<Nginx> {
  if (!nginxAvailable()) throw new Error(`cannot start nginx: ${NGINX_BIN} is missing (scripts/install-system-deps.sh installs it)`);
  const dir = resolve(options.dir);
  await mkdir(dir, { recursive: true });
  const configFile = join(dir, 'nginx.conf');
  // The generation location answers `<instance>:<generation>`, so another nginx that took our port (say a
  // parallel test's) is not mistaken for ours.
  const instance = randomBytes(6).toString('hex');
  let generation = 1;
  let port = options.port ?? (await freePort());
  let child: ChildProcess | undefined;

  // A free port may be taken by someone else before nginx binds it: then try another one.
  for (let attempt = 1; ; attempt++) {
    await writeConfig(configFile, renderConfig({ dir, port, upstreams: options.upstreams, marker: `${instance}:${generation}` }));
    try {
      child = await spawnNginx(dir, configFile, port, `${instance}:${generation}`);
      break;
    } catch (error) {
      if (options.port !== undefined || attempt === 3 || !/Address already in use/.test(String(error))) throw error;
      port = await freePort();
    }
  }

  const running = child!;
  const exited = new Promise<void>((r) => running.once('exit', () => r()));
  stopAtExit(running);
  let queue = Promise.resolve();

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    dir,
    // One reload at a time: a second waits for the first, so the last call's upstreams win.
    setUpstreams: (next) => {
      const done = queue.then(async () => {
        if (running.exitCode !== null || running.signalCode !== null) throw new Error('nginx is not running');
        const previous = readFileSync(configFile, 'utf8');
        await writeConfig(configFile, renderConfig({ dir, port, upstreams: next, marker: `${instance}:${generation + 1}` }));
        const problem = await testConfig(dir, configFile);
        if (problem !== null) {
          await writeConfig(configFile, previous);
          throw new Error(`nginx refused the new config: ${problem}`);
        }
        generation += 1;
        const oldWorkers = workerPids(running.pid!);
        running.kill('SIGHUP');
        await waitForMarker(port, `${instance}:${generation}`, running, dir);
        // The master tells the old workers to quit only ~100 ms after the new ones started; until then
        // they still accept connections and serve keep-alive ones under the old upstreams.
        await waitShuttingDown(oldWorkers, dir);
      });
      queue = done.catch(() => undefined);
      return done;
    },
    stop: async () => {
      await queue;
      if (running.exitCode === null && running.signalCode === null) {
        // SIGTERM is nginx's fast shutdown; the master waits for its workers before it exits.
        running.kill('SIGTERM');
        const killer = setTimeout(() => running.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(killer);
      }
      liveChildren.delete(running);
    },
  };
}

function nginxArgs(dir: string, configFile: string, extra: string[] = []): string[] {
  // -e: the log for errors before the config is read (by default under /var/log/nginx).
  return ['-p', `${dir}/`, '-c', configFile, '-e', join(dir, 'error.log'), ...extra];
}

/** `nginx -t`: null when the config loads, else what nginx said. */
function testConfig(dir: string, configFile: string): Promise<string | null> {
  return new Promise((resolvePromise) => {
    execFile(NGINX_BIN, nginxArgs(dir, configFile, ['-t', '-q']), { encoding: 'utf8' }, (error, stdout, stderr) => {
      resolvePromise(error ? `${stdout}\n${stderr}`.trim() || String(error) : null);
    });
  });
}

async function spawnNginx(dir: string, configFile: string, port: number, marker: string): Promise<ChildProcess> {
  const child = spawn(NGINX_BIN, nginxArgs(dir, configFile), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.on('error', (error) => {
    stderr += String(error);
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    // nginx writes here only until its error log is open; keep the end in case it keeps going.
    stderr = (stderr + chunk).slice(-4096);
  });
  try {
    await waitForMarker(port, marker, child, dir, () => stderr);
  } catch (error) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    throw error;
  }
  return child;
}

/** Polls the generation location on fresh connections until it answers `marker`. */
async function waitForMarker(port: number, marker: string, child: ChildProcess, dir: string, stderr = () => ''): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`nginx exited (${child.exitCode ?? child.signalCode}): ${stderr().trim() || errorLogTail(dir)}`);
    }
    if ((await getMarker(port)) === marker) return;
    if (Date.now() > deadline) throw new Error(`nginx did not serve config ${marker} in time: ${errorLogTail(dir)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The processes whose parent is `masterPid`: nginx's workers (and cache helpers, which we have none of). */
export function workerPids(masterPid: number): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid …; comm may hold spaces and parentheses, so parse after the last ")".
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === masterPid) pids.push(Number(name));
    } catch {
      // exited while we looked
    }
  }
  return pids;
}

/** Waits until each old worker has exited or says it is shutting down (it has closed its listening socket). */
async function waitShuttingDown(pids: number[], dir: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  const done = (pid: number) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('shutting down');
    } catch {
      return true;
    }
  };
  while (!pids.every(done)) {
    if (Date.now() > deadline) throw new Error(`nginx's old workers ${pids.join(', ')} did not shut down: ${errorLogTail(dir)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function getMarker(port: number): Promise<string | null> {
  return new Promise((resolvePromise) => {
    const req = request({ host: '127.0.0.1', port, path: GENERATION_PATH, agent: false, timeout: 1000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolvePromise(res.statusCode === 200 ? body.trim() : null));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolvePromise(null));
    req.end();
  });
}

function errorLogTail(dir: string, lines = 10): string {
  try {
    return readFileSync(join(dir, 'error.log'), 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no error log)';
  }
}

async function writeConfig(configFile: string, text: string): Promise<void> {
  // Renamed into place, so nginx -t or a reload never reads half a file.
  await writeFile(`${configFile}.tmp`, text);
  await rename(`${configFile}.tmp`, configFile);
}

/**
 * The `server` lines of the upstream block. Passive health checks (one failure takes a replica out for
 * 2 s) on top of the `down` flags the readiness watcher sets. When every replica is down they are all
 * listed as up and never marked failed, so a client gets a replica's own 503 rather than nginx's 502.
 */
function serverLines(upstreams: Upstream[]): string[] {
  const allDown = upstreams.every((u) => u.down);
  return upstreams.map((u) => {
    const address = `${u.host.includes(':') ? `[${u.host}]` : u.host}:${u.port}`;
    if (allDown) return `server ${address} max_fails=0;`;
    return `server ${address} max_fails=1 fail_timeout=2s${u.down ? ' down' : ''};`;
  });
}

export function renderConfig({ dir, port, upstreams, marker }: { dir: string; port: number; upstreams: Upstream[]; marker: string }): string {
  const path = (name: string) => JSON.stringify(join(dir, name));
  const proxy = [
    'proxy_pass http://replicas;',
    // HTTP/1.1 and no "Connection: close", so the upstream keepalive pool is used.
    'proxy_http_version 1.1;',
    'proxy_set_header Connection "";',
    'proxy_set_header Host $http_host;',
    'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    'proxy_connect_timeout 1s;',
  ];
  const location = upstreams.length === 0
    ? ['location / {', '  return 503 "no replicas\\n";', '}']
    : [
        'location / {',
        // Only GET and HEAD are retried on another replica after a timeout or a 502/503: a write may have
        // been done by the replica that failed to answer. nginx itself never retries POST and PATCH once
        // sent, but would retry PUT and DELETE, so every other method goes to @write.
        '  error_page 418 = @write;',
        '  if ($request_method !~ ^(GET|HEAD)$) { return 418; }',
        ...proxy.map((l) => `  ${l}`),
        '  proxy_next_upstream error timeout http_502 http_503;',
        // A search answers in milliseconds (after=SEQ waits at most 1 s): a replica silent for 5 s is hung
        // (SIGSTOP, a stalled machine), and the request goes to another instead of waiting 60 s.
        '  proxy_read_timeout 5s;',
        '}',
        'location @write {',
        ...proxy.map((l) => `  ${l}`),
        // Connection errors only; for POST and PATCH nginx retries just those where nothing was sent.
        '  proxy_next_upstream error;',
        '}',
      ];
  const lines = [
    '# Generated by src/cluster/nginx.ts; rewritten on every change of upstreams.',
    // As root the workers would switch to "nobody", who cannot enter a private folder; run them as the
    // master's user instead (the directive is only allowed, and only needed, when the master is root).
    ...(process.getuid?.() === 0 ? ['user root;'] : []),
    'daemon off;',
    'worker_processes 1;',
    `pid ${path('nginx.pid')};`,
    `error_log ${path('error.log')} warn;`,
    'events {',
    '  worker_connections 1024;',
    '}',
    'http {',
    // Buffered: a write per request would cost the balancer a system call on the hot path.
    `  access_log ${path('access.log')} combined buffer=64k flush=1s;`,
    // nginx closes a client connection after 1,000 requests by default, which a busy client sees as a
    // connection error on the request it had just sent.
    '  keepalive_requests 100000;',
    `  client_body_temp_path ${path('client_body_temp')};`,
    `  proxy_temp_path ${path('proxy_temp')};`,
    `  fastcgi_temp_path ${path('fastcgi_temp')};`,
    `  uwsgi_temp_path ${path('uwsgi_temp')};`,
    `  scgi_temp_path ${path('scgi_temp')};`,
    // Above the app's own 1 MiB limit, so an oversized article gets the app's JSON error, not nginx's page.
    '  client_max_body_size 8m;',
    ...(upstreams.length === 0
      ? []
      : [
          '  upstream replicas {',
          ...serverLines(upstreams).map((l) => `    ${l}`),
          '    keepalive 32;',
          '    keepalive_requests 100000;',
          // Below Node's 5 s keep-alive timeout: nginx must not reuse a connection the replica is closing.
          '    keepalive_timeout 4s;',
          '  }',
        ]),
    '  server {',
    `    listen 127.0.0.1:${port};`,
    `    location = ${GENERATION_PATH} {`,
    '      access_log off;',
    `      return 200 "${marker}\\n";`,
    '    }',
    ...location.map((l) => `    ${l}`),
    '  }',
    '}',
    '',
  ];
  return lines.join('\n');
}

/** nginx masters still running when this process exits are stopped, so none outlives its owner. */
const liveChildren = new Set<ChildProcess>();
let exitHooked = false;
function stopAtExit(child: ChildProcess): void {
  if (!exitHooked) {
    process.once('exit', () => {
      for (const c of liveChildren) c.kill('SIGTERM');
    });
  }
  exitHooked = true;
  liveChildren.add(child);
}
