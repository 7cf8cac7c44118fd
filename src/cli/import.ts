/**
 * `npm run import -- <files or folders>`: copies valid article files, byte for byte, into ARTICLES_DIR, where
 * the running service's folder watcher indexes them; with ARTICLE_STORE=postgres it writes them into the
 * PostgreSQL store instead, a transaction per batch, where every replica follows them. Owns finding the
 * files, vetting them as the service does, and the command's progress, summary and exit code. It never
 * talks to the server and never deletes.
 */
import { realpathSync } from 'node:fs';
import { lstat, mkdir, readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Article } from '../articles/article.js';
import { readArticleFile, versionOf } from '../articles/article-file.js';
import { writeFileAtomically } from '../articles/atomic-write.js';
import { articleIdOf, isArticleFileName } from '../articles/folder.js';
import { PostgresArticleStore } from '../articles/postgres-store.js';
import { readConfig } from '../config.js';
import { silentLogger } from '../logger.js';

/** What happened to one input file. */
export interface ImportResult {
  /** The file as found: an argument, or an argument joined with the path below it (relative stays relative). */
  path: string;
  status: 'added' | 'updated' | 'unchanged' | 'skipped';
  /** Why nothing was written: `unchanged`, or what is wrong with the file. Null when it was written. */
  reason: string | null;
}

/** Receives the import's progress; the CLI draws it, tests record it. */
export interface ImportReporter {
  /** Called once, after the inputs were walked and before the first file is handled. */
  start(total: number): void;
  /** Called once per file, in input order; `done` counts the files handled so far, this one included. */
  file(result: ImportResult, done: number, total: number): void;
}

/** The counts of one import. `skipped` excludes the unchanged files, which have their own count. */
export interface ImportSummary {
  total: number;
  added: number;
  updated: number;
  unchanged: number;
  skipped: number;
  /** Where the articles went: the absolute path of the folder, or `PostgreSQL`. */
  targetDir: string;
}

/** A vetted article file, as read. */
export interface ImportItem {
  id: string;
  bytes: Buffer;
  article: Article;
}

/** Where an import writes: ARTICLES_DIR (`folderDestination`) or the PostgreSQL store (`postgresDestination`). */
export interface ImportDestination {
  /** Named in the summary. */
  readonly name: string;
  /** Files handled at once; for PostgreSQL also one transaction, all of it written or none. */
  readonly batchSize: number;
  /** Writes a batch; per item what happened, or why it was not written. */
  place(items: readonly ImportItem[]): Promise<Array<'added' | 'updated' | 'unchanged' | { reason: string }>>;
}

/** Some inputs do not exist. Thrown before anything is written, so a mistyped path costs nothing. */
export class MissingInputError extends Error {
  constructor(readonly paths: string[]) {
    super(paths.map((path) => `${path} does not exist`).join('; '));
    this.name = 'MissingInputError';
  }
}

/** A file to handle, or (with a reason) one already known to be unusable, such as an unreadable folder. */
interface Candidate {
  path: string;
  reason: string | null;
}

/** A candidate after reading: the article file, or why it is skipped. */
type Inspected = ImportItem | { reason: string };

/**
 * Files handled at once into a folder: reads and writes (each with two fsyncs) overlap, while at most this
 * many files of up to 4 MiB are held in memory.
 */
const FOLDER_BATCH_SIZE = 16;
/** Articles per PostgreSQL transaction: one round of commits per batch, a batch lost whole if the import dies. */
const POSTGRES_BATCH_SIZE = 200;

/** Copies article files into `dir` (importArticles creates it when missing), byte for byte, atomically. */
export function folderDestination(targetDir: string): ImportDestination & { dir: string } {
  const dir = resolve(targetDir);
  return {
    name: dir,
    dir,
    batchSize: FOLDER_BATCH_SIZE,
    async place(items) {
      return Promise.all(
        items.map(async (item) => {
          try {
            return await place(dir, item.id, item.bytes);
          } catch (error) {
            return { reason: `cannot write (${errorCode(error)})` };
          }
        }),
      );
    },
  };
}

/** Writes articles into the PostgreSQL store, a batch per transaction (`PostgresArticleStore.importMany`). */
export function postgresDestination(store: PostgresArticleStore): ImportDestination {
  return {
    name: 'PostgreSQL',
    batchSize: POSTGRES_BATCH_SIZE,
    async place(items) {
      const { statuses } = await store.importMany(items.map((item) => item.article));
      return statuses;
    },
  };
}

/**
 * Imports the article files among `inputs` (files, and folders walked recursively) into `target`: a folder
 * (created when missing) or another destination. Every file is vetted exactly as the service reads it; a
 * file that fails, a second file with an id already imported in this run, and an explicitly named file that
 * is not `*.txt` are skipped and never written. An article stored already as it is is left alone (`unchanged`).
 * @throws MissingInputError when an input does not exist (nothing is written, a target folder is not created)
 * @throws StoreError when the database cannot take a batch (the batches before it are in)
 */
export async function importArticles(inputs: string[], target: string | ImportDestination, report: ImportReporter): Promise<ImportSummary> {
  // Walk everything first: a missing input must stop the run before the first write.
  const candidates = await collectCandidates(inputs);
  const destination = typeof target === 'string' ? folderDestination(target) : target;
  if (typeof target === 'string') await mkdir(destination.name, { recursive: true });

  const summary: ImportSummary = { total: candidates.length, added: 0, updated: 0, unchanged: 0, skipped: 0, targetDir: destination.name };
  report.start(candidates.length);
  /** The first file that claimed each id in this run, for the duplicate's reason. */
  const claimed = new Map<string, string>();
  let done = 0;
  for (let start = 0; start < candidates.length; start += destination.batchSize) {
    const batch = candidates.slice(start, start + destination.batchSize);
    const inspected = await Promise.all(batch.map(inspect));
    // Ids are claimed in input order, so the first file with an id wins however the reads interleaved.
    // Only a usable file claims its id: an invalid file must not shadow a good one after it.
    const planned = inspected.map((item, i): Inspected => {
      if ('reason' in item) return item;
      const first = claimed.get(item.id);
      if (first !== undefined) return { reason: `duplicate id "${item.id}" (also ${first})` };
      claimed.set(item.id, batch[i]!.path);
      return item;
    });
    const usable = planned.filter((item): item is ImportItem => !('reason' in item));
    const placed = usable.length > 0 ? await destination.place(usable) : [];
    let next = 0;
    const results = planned.map((item, i): ImportResult => {
      const path = batch[i]!.path;
      if ('reason' in item) return { path, status: 'skipped', reason: item.reason };
      const status = placed[next++]!;
      if (typeof status === 'object') return { path, status: 'skipped', reason: status.reason };
      return { path, status, reason: status === 'unchanged' ? 'unchanged' : null };
    });
    // Reported after the batch, in input order, so the output does not depend on which read finished first.
    for (const result of results) {
      summary[result.status]++;
      report.file(result, ++done, candidates.length);
    }
  }
  return summary;
}

/** The files the inputs name, in input order, each folder's entries sorted; a file named twice counts once. */
async function collectCandidates(inputs: string[]): Promise<Candidate[]> {
  const candidates: Candidate[] = [];
  const missing: string[] = [];
  for (const input of inputs) {
    let info;
    try {
      info = await stat(input);
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ENOENT' || code === 'ENOTDIR') missing.push(input);
      else candidates.push({ path: input, reason: `cannot read (${code})` });
      continue;
    }
    if (info.isDirectory()) await walk(input, candidates);
    // Given by name, so it is reported even when it is not an article file (the reason says why).
    else candidates.push({ path: input, reason: info.isFile() ? null : 'not a regular file' });
  }
  if (missing.length > 0) throw new MissingInputError(missing);
  const seen = new Set<string>();
  return candidates.filter((c) => {
    const key = resolve(c.path);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Adds the article files below `dir`. Hidden folders are skipped (`.git`, backups); files that are not article
 * files are passed over silently, as the service passes over them. Links are never followed: a link with an
 * article file's name is reported and skipped, as ARTICLES_DIR would refuse it, and a link cycle cannot make
 * the walk endless.
 */
async function walk(dir: string, out: Candidate[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    out.push({ path: dir, reason: `cannot read (${errorCode(error)})` });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.')) await walk(path, out);
    } else if (isArticleFileName(entry.name)) {
      // Whatever it is, the one rule decides when it is read (a link, a FIFO… is refused with its reason).
      out.push({ path, reason: null });
    }
  }
}

/** Reads and vets one file by the rule ARTICLES_DIR applies (`readArticleFile`): what the service would refuse is skipped. */
async function inspect(candidate: Candidate): Promise<Inspected> {
  if (candidate.reason !== null) return { reason: candidate.reason };
  if (!basename(candidate.path).endsWith('.txt')) return { reason: 'not a .txt file' };
  const id = articleIdOf(candidate.path);
  const state = await readArticleFile(candidate.path, id);
  if (state.kind === 'article') return { id, bytes: state.bytes, article: state.article };
  // Listed a moment ago, gone now: reported as the open would have reported it.
  return { reason: state.kind === 'missing' ? 'cannot read (ENOENT)' : state.reason };
}

/** Writes `bytes` as `dir/<id>.txt` unless that file already holds exactly them. */
async function place(dir: string, id: string, bytes: Buffer): Promise<'added' | 'updated' | 'unchanged'> {
  const name = `${id}.txt`;
  const target = join(dir, name);
  const existing = await targetState(target, bytes);
  // Left unwritten when identical: the watcher sees no change and the service reads nothing again.
  if (existing === 'same') return 'unchanged';
  // A rename replaces whatever entry has the name (a link is replaced, never written through).
  await writeFileAtomically(dir, name, bytes, { overwrite: true });
  return existing === 'absent' ? 'added' : 'updated';
}

/**
 * Whether the target is absent, an article file holding exactly `bytes`, or anything else (read by the same
 * rule, so a link at the target counts as different and is replaced by the file).
 */
async function targetState(path: string, bytes: Buffer): Promise<'absent' | 'same' | 'different'> {
  try {
    const info = await lstat(path);
    if (!info.isFile() || info.size !== bytes.length) return 'different';
  } catch (error) {
    // Anything but "not there" means something is there; the write decides whether it can be replaced.
    return errorCode(error) === 'ENOENT' ? 'absent' : 'different';
  }
  const state = await readArticleFile(path, articleIdOf(path));
  return state.kind === 'article' && state.version.hash === versionOf(bytes, 0).hash ? 'same' : 'different';
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}

// ---- the command ---------------------------------------------------------------------------------

const USAGE = 'usage: npm run import -- <files or folders>\n';
/** Width of the terminal progress bar, in characters between the brackets. */
const BAR_WIDTH = 20;
/** At most this often the terminal bar is redrawn: a million files must not mean a million redraws. */
const REDRAW_MS = 50;

/**
 * Progress for people and for logs. On a terminal, one line redrawn in place with a bar; elsewhere (a pipe, a
 * log file) plain lines at every tenth of the way and at the end, so a log is short and has no `\r`.
 * Skipped files get one line each on stderr; unchanged files do not, since re-running an import is normal and
 * the summary counts them.
 */
function consoleReporter(out: NodeJS.WriteStream, err: NodeJS.WriteStream): ImportReporter & { finish(total: number): void } {
  const tty = out.isTTY === true;
  let lastDraw = 0;
  let drawn = false;
  let lastStep = 0;
  let lastPrinted = -1;
  const draw = (done: number, total: number) => {
    const filled = total === 0 ? BAR_WIDTH : Math.floor((done / total) * BAR_WIDTH);
    out.write(`\r[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${done}/${total} files`);
    lastDraw = Date.now();
    drawn = true;
  };
  const line = (done: number, total: number) => {
    out.write(`imported ${done}/${total} files\n`);
    lastPrinted = done;
  };
  return {
    start(total) {
      if (tty) draw(0, total);
    },
    file(result, done, total) {
      let redraw = done === total;
      if (result.status === 'skipped') {
        // Clear the bar first so the message does not land in the middle of it on the same terminal.
        if (tty && drawn) out.write('\r\x1b[K');
        err.write(`skipped ${result.path}: ${result.reason}\n`);
        redraw = true;
      }
      if (tty) {
        if (redraw || Date.now() - lastDraw >= REDRAW_MS) draw(done, total);
        return;
      }
      const step = Math.floor((done * 10) / total);
      if (step > lastStep) {
        lastStep = step;
        line(done, total);
      }
    },
    finish(total) {
      if (tty) {
        if (!drawn) draw(total, total);
        out.write('\n');
      } else if (lastPrinted !== total) line(total, total);
    },
  };
}

/** Runs the command; resolves to the exit code (0 all imported, 1 something skipped, 2 usage error). */
async function main(args: string[]): Promise<number> {
  if (args.length === 1 && (args[0] === '--help' || args[0] === '-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (args.length === 0) {
    process.stderr.write(USAGE);
    return 2;
  }
  let config;
  try {
    config = readConfig();
  } catch (error) {
    process.stderr.write(`import: ${(error as Error).message}\n`);
    return 2;
  }
  const reporter = consoleReporter(process.stdout, process.stderr);
  let summary: ImportSummary;
  const store = config.store.kind === 'postgres' ? new PostgresArticleStore({ databaseUrl: config.store.databaseUrl, applicationName: 'nieuwszoeker-import' }, silentLogger) : null;
  try {
    if (store) await store.open();
    summary = await importArticles(args, store ? postgresDestination(store) : config.articlesDir, reporter);
  } catch (error) {
    if (error instanceof MissingInputError) {
      for (const path of error.paths) process.stderr.write(`import: ${path} does not exist\n`);
      return 2;
    }
    process.stderr.write(`import: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await store?.close();
  }
  reporter.finish(summary.total);
  const { added, updated, unchanged, skipped } = summary;
  process.stdout.write(`added ${added}, updated ${updated}, unchanged ${unchanged}, skipped ${skipped} (into ${summary.targetDir})\n`);
  return skipped > 0 ? 1 : 0;
}

/** True when this file is the program being run, not a module imported by a test. */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    // Node resolves symbolic links in the main script's path before it sets import.meta.url.
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // exitCode, not exit(): output to a pipe is flushed before the process ends.
  process.exitCode = await main(process.argv.slice(2));
}
