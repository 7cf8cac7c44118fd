/**
 * The persisted index: one file of JSON lines in INDEX_DIR holding the articles (with their versions) and
 * MiniSearch's index, written in slices that yield to the event loop, hashed, and renamed into place. No
 * line is larger than one chunk, so the file may exceed V8's string limit that `JSON.stringify` hits.
 *
 * Lines, each a JSON array `[kind, payload]`:
 *   ["h", {format, analyzer, createdAt, fields, store, seq, mark}]   header (`fields`: MiniSearch's field
 *                                                    count; `store`, `seq`, `mark`: the store's identity and
 *                                                    the index's log position when the write began)
 *   ["a", [[id, version, title, date, source, url, paragraphs], …]]   articles (version: {hash, token, changedAtMs})
 *   ["d", [shortId, paragraphId, shortId, …]]        MiniSearch document ids, flat pairs
 *   ["l", [shortId, length0, …, shortId, …]]         MiniSearch field lengths, flat (1 + fields per document)
 *   ["t", [[term, fieldId, [Δid, freq, Δid, …]], …]] terms and postings in MiniSearch's order; each id is
 *                                                    the difference from the one before (the first: from 0)
 *   ["s", [key, …]]                                  position symbols 1, 2, … in order: their keys
 *   ["p", [shortId, base64, shortId, …]]             each paragraph's positions, as the store encodes them
 *   ["f", [surface, folded, term, count, …]]         the words as written, with their counts (SurfaceForms)
 *   ["m", {documentCount, nextId, fieldIds, averageFieldLength, dirtCount}]
 *   ["x", [articleId, …]]                            articles changed while writing: re-read on load
 *   ["e", {lines, sha256}]                           footer: line count and hash of every byte before it
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import MiniSearch from 'minisearch';
import type { Analyzer } from '../analysis/analyzer.js';
import type { Article } from '../articles/article.js';
import { removeLeftoverTemporaryFiles, syncDir, temporaryPath } from '../articles/atomic-write.js';
import type { ArticleVersion, LogPosition } from '../articles/store.js';
import { toParagraphDocs, type ParagraphDoc } from '../paragraphs/paragraphs.js';
import { CompactPostings } from './compact-postings.js';
import { documentIds, fieldLengths, indexMeta, MiniSearchRestorer, walkTerms, type IndexMeta } from './minisearch-internals.js';
import { PositionStore } from './positions.js';
import { SurfaceForms } from './surface-forms.js';
import { miniSearchOptions, restoreSearchIndex, type SearchIndex } from './search-index.js';

/** Bump when the file layout changes; an older file is rebuilt. 4: opaque versions, the store's log position. */
export const SNAPSHOT_FORMAT = 4;
export const SNAPSHOT_FILE = 'snapshot.ndjson';

/** Longest the loader works without yielding to the event loop. */
const LOAD_SLICE_MS = 20;

/**
 * Longest the writer works without yielding to the event loop. A search that arrives meanwhile waits for the
 * rest of the slice, so this is what a snapshot write may add to a search (DESIGN.md, "Writes and readers").
 */
export const WRITE_SLICE_MS = 2;
/** Bytes gathered before a write to disk. */
const CHUNK_BYTES = 1 << 18;
/**
 * Bytes of one line, about: a line is one `JSON.stringify`, hash update and copy, a step that cannot yield
 * (at 256 KiB, as before, about a millisecond and a half here, several times that under load).
 */
export const LINE_BYTES = 1 << 16;
/** Records in one line (bounded further by LINE_BYTES). */
const RECORDS_PER_LINE = 2048;
/**
 * Postings in one term record: a frequent term's list (13% of all paragraphs for the commonest content
 * word) is split over several records, with yields between them, so no single step stalls the event loop.
 */
export const MAX_POSTINGS_PER_RECORD = 2048;

/** Why a snapshot could not be used. */
export class SnapshotError extends Error {
  constructor(
    readonly reason: 'corrupt' | 'incompatible',
    message: string,
  ) {
    super(message);
    this.name = 'SnapshotError';
  }
}

export interface SnapshotWriteStats {
  path: string;
  bytes: number;
  articles: number;
  paragraphs: number;
  /** Articles changed while writing, left for the loader to re-read. */
  dirty: number;
  ms: number;
  /** The longest stretch the writer ran without yielding to the event loop. */
  longestSliceMs: number;
  /** How many times it yielded. */
  slices: number;
}

/**
 * Yields to the event loop once `sliceMs` of work has passed; remembers the longest slice. The clock is read
 * at every call: a call is one record or one line, and reading it (tens of nanoseconds) costs less than the
 * record; reading it every 8th call, as before, let eight lines of work run between two looks.
 */
export class Slicer {
  private started = performance.now();
  longest = 0;
  /** Times it yielded. */
  yields = 0;
  constructor(private readonly sliceMs: number) {}
  /** Yields if the slice is used up. */
  async maybeYield(): Promise<void> {
    const ran = performance.now() - this.started;
    if (ran < this.sliceMs) return;
    this.longest = Math.max(this.longest, ran);
    this.yields++;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.started = performance.now();
  }
  finish(): void {
    this.longest = Math.max(this.longest, performance.now() - this.started);
  }
}

/** Buffers lines, hashes them, and writes them to a file handle in large chunks. */
class LineWriter {
  private buffer: string[] = [];
  private buffered = 0;
  private readonly hash = createHash('sha256');
  lines = 0;
  bytes = 0;
  constructor(private readonly handle: FileHandle) {}

  async line(record: unknown): Promise<void> {
    const text = `${JSON.stringify(record)}\n`;
    this.hash.update(text, 'utf8');
    this.lines++;
    this.buffer.push(text);
    this.buffered += text.length;
    if (this.buffered >= CHUNK_BYTES) await this.flush();
  }

  /** Writes the footer (not itself hashed) and everything buffered. */
  async finish(): Promise<void> {
    const footer = `${JSON.stringify(['e', { lines: this.lines, sha256: this.hash.digest('hex') }])}\n`;
    this.buffer.push(footer);
    await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const chunk = Buffer.from(this.buffer.join(''), 'utf8');
    this.buffer = [];
    this.buffered = 0;
    this.bytes += chunk.length;
    await this.handle.write(chunk);
  }
}

/**
 * Gathers the values of one record kind into lines of about LINE_BYTES, and at most `maxValues` values:
 * whole records (`a`, `t`: a line is an array of records) or flat runs of numbers and short strings (`d`,
 * `l`: cheap to parse).
 */
class LineBatcher {
  private values: unknown[] = [];
  private size = 0;
  constructor(
    private readonly out: LineWriter,
    private readonly kind: string,
    private readonly maxValues = Infinity,
  ) {}
  async add(approxBytes: number, ...values: unknown[]): Promise<void> {
    for (const v of values) this.values.push(v);
    this.size += approxBytes;
    if (this.values.length >= this.maxValues || this.size >= LINE_BYTES) await this.flush();
  }
  async flush(): Promise<void> {
    if (this.values.length === 0) return;
    const values = this.values;
    this.values = [];
    this.size = 0;
    await this.out.line([this.kind, values]);
  }
}

/**
 * Writes the index to `dir/snapshot.ndjson` atomically (temporary file, fsync, rename, fsync of the
 * folder), yielding to the event loop every `sliceMs`. Changes may go on meanwhile: the articles they
 * touch are recorded as dirty and re-read by the loader.
 * @throws when the index is swapped wholesale during the write (the caller writes again later)
 */
export async function writeSnapshot(
  index: SearchIndex,
  dir: string,
  options: { sliceMs?: number; /** The identity of the store the index follows (ArticleStore.identity). */ store?: string } = {},
): Promise<SnapshotWriteStats> {
  const started = performance.now();
  await mkdir(dir, { recursive: true });
  await removeLeftoverTemporaryFiles(dir);
  const tmp = temporaryPath(dir, SNAPSHOT_FILE);
  const final = join(dir, SNAPSHOT_FILE);
  const slicer = new Slicer(options.sliceMs ?? WRITE_SLICE_MS);
  const tracker = index.trackChanges();
  // Taken with the tracker, in one step: every change after `seq` is either tracked (its article re-read on
  // load) or caught up from the log after `seq`, so resuming from it misses nothing.
  const position = index.logPosition;
  const mini = index.miniSearch;
  const handle = await open(tmp, 'wx', 0o644);
  let articles = 0;
  let paragraphs = 0;
  try {
    const out = new LineWriter(handle);
    const fields = Object.keys(indexMeta(mini).fieldIds).length;
    const header: SnapshotHeader = {
      format: SNAPSHOT_FORMAT,
      analyzer: index.analyzer.version,
      createdAt: new Date().toISOString(),
      fields,
      store: options.store ?? null,
      seq: position?.seq ?? null,
      mark: position?.mark ?? null,
    };
    await out.line(['h', header]);

    const articleLines = new LineBatcher(out, 'a', RECORDS_PER_LINE);
    for (const article of index.allArticles()) {
      await slicer.maybeYield();
      const version = index.versionOf(article.id);
      if (!version || tracker.ids.has(article.id)) continue;
      const { id, title, date, source, url } = article;
      const bytes = article.paragraphs.reduce((n, p) => n + p.length, 0);
      await articleLines.add(bytes + 200, [id, version, title, date, source, url, article.paragraphs]);
      articles++;
      paragraphs += article.paragraphs.length;
    }
    await articleLines.flush();

    const docLines = new LineBatcher(out, 'd');
    for (const [shortId, id] of documentIds(mini)) {
      await slicer.maybeYield();
      await docLines.add(id.length + 12, shortId, id);
    }
    await docLines.flush();

    const lengthLines = new LineBatcher(out, 'l');
    for (const [shortId, lengths] of fieldLengths(mini)) {
      await slicer.maybeYield();
      if (lengths.length !== fields) throw new Error(`snapshot: document ${shortId} has ${lengths.length} field lengths, expected ${fields}`);
      await lengthLines.add(8 + 6 * fields, shortId, ...lengths);
    }
    await lengthLines.flush();

    // A frequent term's postings (13% of all paragraphs for the commonest content word) are split over
    // records of at most MAX_POSTINGS_PER_RECORD, with a chance to yield between them; the loader appends.
    const termLines = new LineBatcher(out, 't', RECORDS_PER_LINE);
    for (const [term, postings] of walkTerms(mini)) {
      await slicer.maybeYield();
      for (const [fieldId, freqs] of postings) {
        let flat: number[] = [];
        let previous = 0;
        for (const [shortId, freq] of freqs) {
          flat.push(shortId - previous, freq);
          previous = shortId;
          if (flat.length < 2 * MAX_POSTINGS_PER_RECORD) continue;
          await termLines.add(term.length + 4 * flat.length, [term, fieldId, flat]);
          await slicer.maybeYield();
          flat = [];
          previous = 0;
        }
        if (flat.length > 0) await termLines.add(term.length + 12 + 4 * flat.length, [term, fieldId, flat]);
      }
    }
    await termLines.flush();

    // Symbols only ever grow, so every symbol a written paragraph uses is among those written first.
    const positions = index.positions;
    const symbolLines = new LineBatcher(out, 's');
    const symbolCount = positions.symbolCount;
    for (let symbol = 1; symbol < symbolCount; symbol++) {
      await slicer.maybeYield();
      const key = positions.keyOf(symbol);
      await symbolLines.add(key.length + 4, key);
    }
    await symbolLines.flush();
    const positionLines = new LineBatcher(out, 'p');
    for (const shortId of documentIds(mini).keys()) {
      await slicer.maybeYield();
      const encoded = positions.encoded(shortId);
      if (encoded === null) continue;
      const base64 = Buffer.from(encoded.buffer, encoded.byteOffset, encoded.byteLength).toString('base64');
      await positionLines.add(base64.length + 12, shortId, base64);
    }
    await positionLines.flush();

    const formLines = new LineBatcher(out, 'f');
    for (const [surface, folded, term, count] of index.surfaceForms.surfaces()) {
      await slicer.maybeYield();
      await formLines.add(surface.length + folded.length + term.length + 16, surface, folded, term, count);
    }
    await formLines.flush();

    // Taken last: `nextId` must exceed every short id written above, so none is ever reused.
    await out.line(['m', indexMeta(mini)]);
    if (tracker.swapped) throw new Error('snapshot: the index was swapped while it was written; not saved');
    await out.line(['x', [...tracker.ids]]);
    await out.finish();
    slicer.finish();
    await handle.sync();
    await handle.close();
    await rename(tmp, final);
    await syncDir(dir);
    return {
      path: final,
      bytes: out.bytes,
      articles,
      paragraphs,
      dirty: tracker.ids.size,
      ms: Math.round(performance.now() - started),
      longestSliceMs: Math.round(slicer.longest * 10) / 10,
      slices: slicer.yields + 1,
    };
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw error;
  } finally {
    tracker.stop();
  }
}

interface SnapshotHeader {
  format: number;
  analyzer: string;
  createdAt: string;
  fields: number;
  store: string | null;
  seq: number | null;
  mark: string | null;
}

export interface LoadedSnapshot {
  /** The index, not yet advanced in any log: the caller does that when `store` is the store it reads. */
  index: SearchIndex;
  /** The identity of the store the snapshot's index followed (null: not recorded). */
  store: string | null;
  /** Where in that store's log the index stood. */
  position: LogPosition | null;
  /** Articles the snapshot does not vouch for: the caller re-reads them from the store. */
  dirty: Set<string>;
  createdAt: string;
  bytes: number;
}

type ArticleRecord = [string, ArticleVersion, string, string | null, string | null, string | null, string[]];

const NEWLINE = Buffer.from('\n');

/**
 * The lines of a file as read (split at `\n`, which never occurs inside a UTF-8 sequence), each with its own
 * bytes, its `\n` included (added to a last line without one): the hash is taken over them as they are, not
 * over the text encoded again. A line-reader over decoded text (readline) cost a seventh of loading a
 * million paragraphs in decoding, splitting by pattern and re-encoding for the hash.
 */
async function* readLines(path: string): AsyncGenerator<{ line: string; bytes: Buffer }> {
  // The start of a line the last reads ended inside of, joined once its end is read (a long line is copied once).
  const rest: Buffer[] = [];
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES }) as AsyncIterable<Buffer>) {
    let start = 0;
    if (rest.length > 0) {
      const end = chunk.indexOf(10);
      if (end === -1) {
        rest.push(chunk);
        continue;
      }
      rest.push(chunk.subarray(0, end + 1));
      const bytes = Buffer.concat(rest);
      rest.length = 0;
      yield { line: bytes.toString('utf8', 0, bytes.length - 1), bytes };
      start = end + 1;
    }
    for (let end = chunk.indexOf(10, start); end !== -1; end = chunk.indexOf(10, start)) {
      yield { line: chunk.toString('utf8', start, end), bytes: chunk.subarray(start, end + 1) };
      start = end + 1;
    }
    if (start < chunk.length) rest.push(chunk.subarray(start));
  }
  if (rest.length > 0) {
    const bytes = Buffer.concat([...rest, NEWLINE]);
    yield { line: bytes.toString('utf8', 0, bytes.length - 1), bytes };
  }
}

/**
 * Loads `dir/snapshot.ndjson`; null when there is none.
 * @throws SnapshotError when the file is truncated, altered or malformed (`corrupt`), or was written by
 *   another snapshot format or analyzer version (`incompatible`)
 */
export async function readSnapshot(dir: string, analyzer: Analyzer): Promise<LoadedSnapshot | null> {
  const path = join(dir, SNAPSHOT_FILE);
  let bytes: number;
  try {
    bytes = (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }

  const hash = createHash('sha256');
  let lines = 0;
  let footer: { lines: number; sha256: string } | undefined;
  let header: SnapshotHeader | undefined;
  let meta: IndexMeta | undefined;
  const articleRecords: ArticleRecord[] = [];
  // Documents, lengths and postings go straight into MiniSearch's own structures as lines are parsed.
  const restorer = new MiniSearchRestorer<ParagraphDoc>(miniSearchOptions(analyzer));
  const docIds = new Map<number, string>();
  const positions = new PositionStore();
  const surfaceForms = new SurfaceForms();
  const lengths = new Map<number, number[]>();
  const dirty = new Set<string>();
  const slicer = new Slicer(LOAD_SLICE_MS);

  for await (const { line, bytes: lineBytes } of readLines(path)) {
    if (footer) throw new SnapshotError('corrupt', 'data after the footer');
    let record: [string, unknown];
    try {
      record = JSON.parse(line);
    } catch {
      throw new SnapshotError('corrupt', `line ${lines + 1} is not JSON`);
    }
    if (!Array.isArray(record) || typeof record[0] !== 'string') throw new SnapshotError('corrupt', `line ${lines + 1} is not a record`);
    const [kind, payload] = record;
    if (kind === 'e') {
      footer = payload as typeof footer;
      continue;
    }
    hash.update(lineBytes);
    lines++;
    if (lines === 1) {
      if (kind !== 'h') throw new SnapshotError('corrupt', 'no header');
      header = payload as typeof header;
      if (header!.format !== SNAPSHOT_FORMAT) {
        throw new SnapshotError('incompatible', `snapshot format ${header!.format}, expected ${SNAPSHOT_FORMAT}`);
      }
      if (header!.analyzer !== analyzer.version) {
        throw new SnapshotError('incompatible', `built with analyzer ${header!.analyzer}, running ${analyzer.version}`);
      }
      continue;
    }
    // Structure errors below surface as exceptions from malformed payloads; the hash check at the end
    // catches any altered byte before the index is used.
    switch (kind) {
      case 'a':
        for (const r of payload as ArticleRecord[]) articleRecords.push(r);
        break;
      case 'd': {
        const flat = payload as Array<number | string>;
        for (let i = 0; i < flat.length; i += 2) {
          const shortId = flat[i] as number;
          const id = flat[i + 1] as string;
          docIds.set(shortId, id);
          restorer.document(shortId, id);
        }
        break;
      }
      case 'l': {
        const flat = payload as number[];
        const stride = 1 + header!.fields;
        for (let i = 0; i < flat.length; i += stride) {
          const lens = flat.slice(i + 1, i + stride);
          lengths.set(flat[i]!, lens);
          restorer.fieldLengths(flat[i]!, lens);
        }
        break;
      }
      case 't':
        for (const [term, fieldId, flat] of payload as Array<[string, number, number[]]>) {
          const postings = restorer.postings(term, fieldId);
          if (postings instanceof CompactPostings) postings.reserveFor(flat.length / 2);
          let shortId = 0;
          for (let i = 0; i < flat.length; i += 2) {
            shortId += flat[i]!;
            postings.set(shortId, flat[i + 1]!);
          }
        }
        break;
      case 'm':
        meta = payload as IndexMeta;
        break;
      case 's':
        for (const key of payload as string[]) {
          const expected = positions.symbolCount;
          if (positions.symbolOf(key) !== expected) throw new SnapshotError('corrupt', `symbol "${key}" appears twice`);
        }
        break;
      case 'p': {
        const flat = payload as Array<number | string>;
        for (let i = 0; i < flat.length; i += 2) positions.addEncoded(flat[i] as number, Buffer.from(flat[i + 1] as string, 'base64'));
        break;
      }
      case 'f': {
        const flat = payload as Array<string | number>;
        for (let i = 0; i < flat.length; i += 4) surfaceForms.restore(flat[i] as string, flat[i + 1] as string, flat[i + 2] as string, flat[i + 3] as number);
        break;
      }
      case 'x':
        for (const id of payload as string[]) dirty.add(id);
        break;
      default:
        throw new SnapshotError('corrupt', `unknown record "${kind}" on line ${lines}`);
    }
    // Start-up serves /healthz and /readyz meanwhile: yield now and then, without a timer's delay.
    await slicer.maybeYield();
  }
  if (!footer) throw new SnapshotError('corrupt', 'no footer: the file is truncated');
  if (footer.lines !== lines || footer.sha256 !== hash.digest('hex')) {
    throw new SnapshotError('corrupt', 'the content does not match its hash');
  }
  if (!header || !meta) throw new SnapshotError('corrupt', 'header or index metadata missing');

  // When changes raced with the write, counts and averages are recomputed from what was captured; else
  // the writer's own figures are kept, so a quiet round trip gives bit-identical scores.
  const sums: number[] = [];
  let measured = 0;
  for (const shortId of docIds.keys()) {
    const lens = lengths.get(shortId);
    if (!lens) continue;
    measured++;
    lens.forEach((len, field) => (sums[field] = (sums[field] ?? 0) + len));
  }
  const consistent = dirty.size === 0 && docIds.size === meta.documentCount && measured === docIds.size;
  const counts = consistent ? {} : { documentCount: docIds.size, averageFieldLength: sums.map((sum) => sum / Math.max(1, measured)) };
  const mini = restorer.finish({ ...meta, ...counts });
  surfaceForms.restored();

  // Keep only articles whose every paragraph is in the index and nothing else; the rest are dirty.
  const clean = new Map<string, { article: Article; version: ArticleVersion }>();
  for (const [id, version, title, date, source, url, paragraphs] of articleRecords) {
    if (!dirty.has(id)) clean.set(id, { article: { id, title, date, source, url, paragraphs }, version });
  }
  const present = new Set(docIds.values());
  for (const [id, { article }] of clean) {
    if (toParagraphDocs(article).some((doc) => !present.has(doc.id))) {
      clean.delete(id);
      dirty.add(id);
    }
  }
  const wanted = new Set<string>();
  for (const { article } of clean.values()) for (const doc of toParagraphDocs(article)) wanted.add(doc.id);
  const strays = [...present].filter((pid) => !wanted.has(pid));
  const shortIdByParagraph = new Map<string, number>();
  if (strays.length > 0) for (const [shortId, pid] of docIds) shortIdByParagraph.set(pid, shortId);
  if (strays.length > 0) {
    // Paragraphs of articles that changed during the write: out, and vacuumed at once, so the index has no
    // discarded postings left (the query engine counts on that; see QueryEngine.top).
    mini.discardAll(strays);
    for (const pid of strays) {
      const shortId = shortIdByParagraph.get(pid);
      if (shortId !== undefined) positions.remove(shortId);
    }
    await mini.vacuum({ batchSize: 5000, batchWait: 0 });
  }

  const index = restoreSearchIndex(analyzer, { mini, positions, surfaceForms }, clean.values());
  const position = typeof header.seq === 'number' && typeof header.mark === 'string' ? { seq: header.seq, mark: header.mark } : null;
  return { index, store: header.store, position, dirty, createdAt: header.createdAt, bytes };
}
