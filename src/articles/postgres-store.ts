/**
 * The article store in PostgreSQL, for several search processes over one set of articles. Every write is
 * one transaction that changes `articles` and appends to `article_changes` under the writers' advisory
 * lock, then notifies. Every process follows the log: it delivers the changes after its cursor to its
 * listener in log order, woken by LISTEN and polling anyway, so a lost notification, a dropped connection
 * or a restarted database only delays it.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../logger.js';
import { hashArticleBytes } from './article-file.js';
import { ArticleError, encodeArticle, isValidArticleId, slugify, type Article, type ArticleInput } from './article.js';
import { migrate } from './postgres-schema.js';
import {
  StoreError,
  type ArticleChange,
  type ArticleStore,
  type ArticleVersion,
  type CatchUp,
  type ChangeListener,
  type LogPosition,
  type StoreStatus,
} from './store.js';

/** The channel writers notify and followers listen on; the payload is the change's sequence number. */
export const CHANGES_CHANNEL = 'nieuwszoeker_changes';
/**
 * Key of the writers' advisory lock, held from before a write takes its sequence numbers until it commits:
 * writes therefore commit in sequence order, which is what lets a follower read the log by `seq > cursor`.
 */
const WRITE_LOCK = 0x6e7a_0002;

export interface PostgresStoreOptions {
  /** postgres://user@host:port/database: the primary, for writes, migrations and LISTEN. */
  databaseUrl: string;
  /**
   * Where the log and the articles are read: a streaming standby of the primary takes that load off it (it
   * replays commits in commit order, so the ordering rule holds there too). Default: the primary.
   */
  readUrl?: string;
  /** Polling interval of the follower, in ms: the bound on how long a lost notification delays a change. */
  pollMs?: number;
  /** Log entries (and articles) read per query. */
  batchSize?: number;
  /** Shown in pg_stat_activity. */
  applicationName?: string;
  /** How long open() keeps trying to reach the database before it gives up. */
  connectTimeoutMs?: number;
  /** How long a write waits for the writers' lock before it fails as unavailable. */
  lockTimeoutMs?: number;
}

/** What importing one article did. */
export type ImportStatus = 'added' | 'updated' | 'unchanged';

interface ArticleRow {
  id: string;
  title: string;
  date: string | null;
  source: string | null;
  url: string | null;
  paragraphs: string[];
  hash: string;
  seq: string;
  changed_at: Date;
}

/** Pool clients that already have an 'error' listener (a client is checked out many times). */
const watchedClients = new WeakSet<pg.PoolClient>();

const ARTICLE_COLUMNS = 'id, title, date, source, url, paragraphs, hash, seq, changed_at';
/**
 * A change's mark (LogPosition.mark): its commit time in microseconds since the epoch, as text — exact, and
 * the same whatever the session's time zone.
 */
export const MARK = (column: string) => `(extract(epoch FROM ${column}) * 1000000)::bigint::text`;
/** What readLog answers when the change at the reader's position is no longer the one it read. */
const REWOUND = Symbol('rewound');

export class PostgresArticleStore implements ArticleStore {
  identity = 'postgres';
  readonly hasLog = true;
  private readonly pool: pg.Pool;
  /** The primary's pool, or a standby's for reading. */
  private readonly readPool: pg.Pool;
  private listener: ChangeListener | undefined;
  private known: () => ReadonlyMap<string, ArticleVersion> = () => new Map();
  /** The last change delivered to the listener; null until the first catch-up settled it. */
  private cursor: LogPosition | null = null;
  private following = false;
  private lock: Promise<unknown> = Promise.resolve();
  private pollTimer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | null = null;
  private pollAgain = false;
  private listenClient: pg.Client | null = null;
  private listenRetry: NodeJS.Timeout | undefined;
  private listenBackoffMs = 0;
  private closed = false;
  private readonly deliveredWaiters = new Set<() => void>();
  /** Polls begun, and the last one that read the log through: a write waits for a poll begun after it. */
  private pollsBegun = 0;
  private pollRead = 0;
  private head: { seq: number; oldestUnappliedAt: number | null } | null = null;
  private reachable = true;
  private lastReadAt: Date | null = null;
  private readonly pollMs: number;
  private readonly batchSize: number;

  constructor(
    private readonly options: PostgresStoreOptions,
    private readonly logger: Logger,
  ) {
    this.pollMs = options.pollMs ?? 250;
    this.batchSize = options.batchSize ?? 500;
    const pool = (connectionString: string) => {
      const created = new pg.Pool({
        connectionString,
        max: 6,
        connectionTimeoutMillis: 2_000,
        idleTimeoutMillis: 10_000,
        application_name: options.applicationName ?? 'nieuwszoeker',
        // A writer that stops (SIGSTOP, a hung process) must not hold the writers' lock for ever.
        idle_in_transaction_session_timeout: 10_000,
        query_timeout: 30_000,
      });
      // An idle client whose connection drops reports here; without a handler the process would exit.
      created.on('error', (error) => this.logger.debug({ err: error }, `an idle PostgreSQL connection closed: ${error.message}`));
      return created;
    };
    this.pool = pool(options.databaseUrl);
    this.readPool = options.readUrl === undefined ? this.pool : pool(options.readUrl);
  }

  /** Connects (retrying until connectTimeoutMs), applies the migrations, and reads the store's identity. */
  async open(): Promise<void> {
    const deadline = Date.now() + (this.options.connectTimeoutMs ?? 15_000);
    for (;;) {
      try {
        const client = await this.pool.connect();
        watchConnection(client, this.logger);
        try {
          const applied = await migrate(client);
          if (applied.length > 0) this.logger.info({ migrations: applied }, `applied schema migrations ${applied.join(', ')}`);
          const { rows } = await client.query<{ id: string }>('SELECT id FROM store_identity');
          this.identity = `postgres:${rows[0]!.id}`;
          return;
        } finally {
          client.release();
        }
      } catch (error) {
        if (!isConnectionError(error) || Date.now() > deadline) throw error;
        await sleep(250);
      }
    }
  }

  subscribe(listener: ChangeListener, known?: () => ReadonlyMap<string, ArticleVersion>): void {
    this.listener = listener;
    if (known) this.known = known;
  }

  /** Starts following the log: LISTEN for wake-ups, and a poll every pollMs whatever happens to them. */
  async watch(): Promise<void> {
    if (this.following) throw new Error('PostgresArticleStore: already watching');
    this.following = true;
    this.pollTimer = setInterval(() => this.wake(), this.pollMs);
    this.pollTimer.unref();
    await this.listen();
  }

  /**
   * Where this process stands: `seq` delivered to (and applied by) the listener, `headSeq` the newest change
   * seen when the database was last reached, `lag` the changes not yet applied and how long the oldest of
   * them has waited, `reachable` whether the last read succeeded, `listening` whether LISTEN is up.
   */
  status(): StoreStatus & { kind: 'postgres' } {
    const head = this.head;
    const lag =
      head === null
        ? null
        : { changes: Math.max(0, head.seq - (this.cursor?.seq ?? 0)), ms: head.oldestUnappliedAt === null ? 0 : Math.max(0, Date.now() - head.oldestUnappliedAt) };
    return {
      kind: 'postgres',
      seq: this.cursor?.seq ?? null,
      headSeq: head?.seq ?? null,
      lag,
      reachable: this.reachable,
      lastReadAt: this.lastReadAt?.toISOString() ?? null,
      listening: this.listenClient !== null,
    };
  }

  async changesSince(
    since: LogPosition | null,
    known: ReadonlyMap<string, ArticleVersion>,
    onBatch: ChangeListener,
    options: { exclusive?: boolean; onProgress?: (done: number, total: number) => void } = {},
  ): Promise<CatchUp> {
    // Always in the store's delivery order: a catch-up for the live index and the log follower never interleave.
    const run = async (): Promise<CatchUp> => {
      const read = since === null ? REWOUND : await this.readLog(since, onBatch, options.onProgress, options.exclusive === true);
      const result = read !== REWOUND ? read : await this.compareAll(known, onBatch, { onProgress: options.onProgress, follower: options.exclusive === true });
      if (options.exclusive) this.delivered(result.position, !result.resumed);
      return result;
    };
    return options.exclusive ? this.exclusive(run) : run();
  }

  async create(input: ArticleInput): Promise<{ article: Article; seq: number }> {
    const { bytes, article } = encodeArticle('x', input);
    const stem = slugify(article.title);
    const hash = hashArticleBytes(bytes);
    const result = await this.write(async (client) => {
      for (let attempt = 0; attempt < 5; attempt++) {
        const id = `${stem}-${randomBytes(3).toString('hex')}`;
        const seq = await nextSeq(client);
        const inserted = await client.query(
          `INSERT INTO articles (${ARTICLE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, clock_timestamp()) ON CONFLICT (id) DO NOTHING RETURNING id`,
          [id, article.title, article.date, article.source, article.url, article.paragraphs, hash, seq],
        );
        if (inserted.rowCount === 1) {
          await logChange(client, seq, id, 'upsert');
          return { article: { ...article, id }, seq };
        }
      }
      throw new Error(`PostgresArticleStore: no free id for "${stem}" after 5 attempts`);
    });
    await this.awaitDelivery(result.seq);
    return result;
  }

  async put(id: string, input: ArticleInput): Promise<{ article: Article; created: boolean; seq: number }> {
    if (!isValidArticleId(id)) throw new ArticleError('invalid_id', `"${id}" is not a valid article id`);
    const { bytes, article } = encodeArticle(id, input);
    const hash = hashArticleBytes(bytes);
    const result = await this.write(async (client) => {
      const existing = await client.query<{ hash: string; seq: string }>('SELECT hash, seq FROM articles WHERE id = $1', [id]);
      const before = existing.rows[0];
      // The same content again changes nothing and logs nothing: its receipt is the change that wrote it.
      if (before?.hash === hash) return { article, created: false, seq: Number(before.seq) };
      const seq = await nextSeq(client);
      await upsertArticle(client, article, hash, seq);
      await logChange(client, seq, id, 'upsert');
      return { article, created: before === undefined, seq };
    });
    await this.awaitDelivery(result.seq);
    return result;
  }

  async remove(id: string): Promise<{ removed: boolean; seq: number | null }> {
    if (!isValidArticleId(id)) return { removed: false, seq: null };
    const result = await this.write(async (client) => {
      const deleted = await client.query('DELETE FROM articles WHERE id = $1', [id]);
      if (deleted.rowCount === 0) return { removed: false, seq: null };
      const seq = await nextSeq(client);
      await logChange(client, seq, id, 'remove');
      return { removed: true, seq };
    });
    if (result.seq !== null) await this.awaitDelivery(result.seq);
    return result;
  }

  /**
   * Writes many articles in one transaction (the import command): all of them or, if anything fails or
   * the writer dies, none. Articles whose content is stored already are left alone and not logged.
   */
  async importMany(articles: readonly Article[]): Promise<{ statuses: ImportStatus[]; seq: number | null }> {
    const prepared = articles.map((article) => {
      const { bytes, article: stored } = encodeArticle(article.id, articleInput(article));
      return { article: stored, hash: hashArticleBytes(bytes) };
    });
    return this.write(async (client) => {
      const ids = prepared.map((p) => p.article.id);
      const { rows } = await client.query<{ id: string; hash: string }>('SELECT id, hash FROM articles WHERE id = ANY($1)', [ids]);
      const stored = new Map(rows.map((r) => [r.id, r.hash]));
      let last: number | null = null;
      const statuses: ImportStatus[] = [];
      for (const { article, hash } of prepared) {
        const before = stored.get(article.id);
        if (before === hash) {
          statuses.push('unchanged');
          continue;
        }
        const seq = await nextSeq(client);
        await upsertArticle(client, article, hash, seq);
        await logChange(client, seq, article.id, 'upsert');
        stored.set(article.id, hash);
        statuses.push(before === undefined ? 'added' : 'updated');
        last = seq;
      }
      return { statuses, seq: last };
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.pollTimer);
    clearTimeout(this.listenRetry);
    const client = this.listenClient;
    this.listenClient = null;
    await client?.end().catch(() => undefined);
    await this.polling?.catch(() => undefined);
    await this.lock.catch(() => undefined);
    await this.pool.end().catch(() => undefined);
    if (this.readPool !== this.pool) await this.readPool.end().catch(() => undefined);
  }

  // ---- following the log -----------------------------------------------------------------------

  /** Asks for a poll soon; polls never overlap (a wake-up during one makes it run again). */
  private wake(): void {
    if (this.closed || this.cursor === null) return;
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    this.polling = this.exclusive(async () => {
      do {
        this.pollAgain = false;
        const since = this.cursor;
        if (since === null) return;
        const poll = ++this.pollsBegun;
        const listener = this.listener ?? (async () => undefined);
        try {
          let result = await this.readLog(since, listener, undefined, true);
          if (result === REWOUND) {
            this.logger.warn(
              { seq: since.seq },
              `change ${since.seq}, where this process stands, is no longer in the change log as it was read (the database was restored, ` +
                'or failed over to a standby that was behind): comparing the whole store',
            );
            result = await this.compareAll(this.known(), listener, { follower: true });
          }
          this.pollRead = poll;
          this.delivered(result.position, !result.resumed);
          if (!this.reachable) this.logger.info({ seq: this.cursor?.seq }, `PostgreSQL reachable again: following the change log from ${this.cursor?.seq}`);
          this.reachable = true;
        } catch (error) {
          if (error instanceof ApplyError) {
            // The database answered; indexing what it gave failed. Retried at the next poll, from the same place.
            this.logger.error({ err: error.cause, seq: this.cursor?.seq }, `applying changes after ${this.cursor?.seq} failed: ${describe(error.cause)}`);
            return;
          }
          if (this.reachable) {
            this.logger.warn({ err: error, seq: this.cursor?.seq }, `cannot read the change log (${describe(error)}): searching on from memory, retrying every ${this.pollMs} ms`);
          }
          this.reachable = false;
          return;
        }
      } while (this.pollAgain && !this.closed);
    }).finally(() => {
      this.polling = null;
    });
  }

  /** Moves the cursor on (or, after a whole-store compare, sets it) and wakes writers waiting for their change. */
  private delivered(position: LogPosition | null, reset = false): void {
    if (position !== null && (reset || this.cursor === null || position.seq > this.cursor.seq)) this.cursor = position;
    if (this.cursor !== null && this.head !== null && this.cursor.seq >= this.head.seq) this.head = { seq: this.head.seq, oldestUnappliedAt: null };
    for (const waiter of this.deliveredWaiters) waiter();
  }

  /**
   * After a write of ours committed, waits until the follower delivered it, so the write's response comes
   * when this process can already find it. Bounded: a write is committed whatever happens to the follower.
   */
  private async awaitDelivery(seq: number): Promise<void> {
    if (!this.listener || this.cursor === null) return;
    // A cursor already at or past `seq` may be from before a restore (the log numbers changes again): then
    // only a poll begun after this write's commit, which checks the cursor's mark, tells.
    const before = this.cursor.seq >= seq ? this.pollsBegun : -1;
    const reached = () => this.pollRead > before && this.cursor !== null && this.cursor.seq >= seq;
    if (reached()) return;
    await new Promise<void>((resolve) => {
      // Woken now and again until delivered: a standby may not have replayed the commit at the first read.
      const nudge = setInterval(() => this.wake(), 20);
      const timer = setTimeout(() => done(), 2_000);
      const check = () => {
        if (reached()) done();
      };
      const done = () => {
        clearInterval(nudge);
        clearTimeout(timer);
        this.deliveredWaiters.delete(check);
        resolve();
      };
      this.deliveredWaiters.add(check);
      this.wake();
    });
  }


  /** LISTEN on the primary; on any failure, reconnects with backoff (polling covers the gap). */
  private async listen(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.options.databaseUrl, application_name: `${this.options.applicationName ?? 'nieuwszoeker'} listen`, connectionTimeoutMillis: 2_000 });
    let dropped = false;
    const drop = (error?: Error) => {
      if (dropped) return;
      dropped = true;
      const wasListening = this.listenClient === client;
      if (wasListening) this.listenClient = null;
      client.end().catch(() => undefined);
      if (this.closed) return;
      // Once per lost connection, not at every failed attempt to reconnect while the database is away.
      if (wasListening) {
        this.logger.warn({ err: error }, `the LISTEN connection to PostgreSQL closed${error ? ` (${error.message})` : ''}: polling every ${this.pollMs} ms, reconnecting`);
      }
      this.retryListen();
    };
    client.on('error', drop);
    client.on('end', () => drop());
    client.on('notification', () => this.wake());
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch {
      drop();
      return;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.listenClient = client;
    this.listenBackoffMs = 0;
    // Anything notified while we were not listening is found by this poll.
    this.wake();
  }

  private retryListen(): void {
    this.listenBackoffMs = Math.min(5_000, Math.max(100, this.listenBackoffMs * 2));
    clearTimeout(this.listenRetry);
    this.listenRetry = setTimeout(() => void this.listen(), this.listenBackoffMs);
    this.listenRetry.unref();
  }

  // ---- reading ---------------------------------------------------------------------------------

  /**
   * Delivers the log after `since`, a batch at a time, each change as the article's current row (so a
   * batch is applied idempotently, however often it is delivered). Writes commit in `seq` order (the
   * writers' lock), so reading `seq > since` never skips a change that commits later. Each read also
   * checks, in the same statement, that the change at the cursor still has its mark: REWOUND when it does
   * not (a database restored from a backup, or failed over to a standby that was behind, numbers changes
   * again, and reading on would skip them for good).
   */
  private async readLog(
    since: LogPosition,
    onBatch: ChangeListener,
    onProgress?: (done: number, total: number) => void,
    /** The live reader's read: its cursor (and /readyz) moves with every batch, not at the end of a long catch-up. */
    follower = false,
  ): Promise<CatchUp | typeof REWOUND> {
    const summary: CatchUp = { files: 0, unchanged: 0, upserts: 0, removals: 0, skipped: 0, resumed: true, position: since };
    let cursor = since;
    for (;;) {
      // One round trip whether or not there is anything new: the check and the head always come back.
      const { rows } = await this.query<Partial<ArticleRow & { change_seq: string; article_id: string; committed_at: Date; mark: string }> & { cursor_mark: string | null; head: string | null }>(
        `SELECT at.cursor_mark, at.head, x.*
           FROM (SELECT (SELECT ${MARK('committed_at')} FROM article_changes WHERE seq = $1) AS cursor_mark,
                        (SELECT max(seq) FROM article_changes) AS head) at
           LEFT JOIN LATERAL (
             SELECT c.seq AS change_seq, c.article_id, c.committed_at, ${MARK('c.committed_at')} AS mark,
                    a.id, a.title, a.date, a.source, a.url, a.paragraphs, a.hash, a.seq, a.changed_at
               FROM article_changes c LEFT JOIN articles a ON a.id = c.article_id
              WHERE c.seq > $1 ORDER BY c.seq LIMIT $2) x ON true`,
        [cursor.seq, this.batchSize],
      );
      this.lastReadAt = new Date();
      const first = rows[0]!;
      if (cursor.seq > 0 && first.cursor_mark !== cursor.mark) return REWOUND;
      const found = rows.filter((row) => row.change_seq != null) as Array<ArticleRow & { change_seq: string; article_id: string; committed_at: Date; mark: string }>;
      if (found.length === 0) {
        this.head = { seq: Math.max(cursor.seq, Number(first.head ?? 0)), oldestUnappliedAt: null };
        break;
      }
      this.head = { seq: Number(first.head), oldestUnappliedAt: found[0]!.committed_at.getTime() };
      // One change per article: its state now (a later entry for the same article replaces an earlier one).
      const latest = new Map<string, ArticleChange>();
      for (const row of found) {
        latest.delete(row.article_id);
        latest.set(row.article_id, row.id === null ? { type: 'remove', id: row.article_id } : { type: 'upsert', article: articleOf(row), version: versionOfRow(row) });
      }
      const changes = [...latest.values()];
      const last = found[found.length - 1]!;
      const to = { seq: Number(last.change_seq), mark: last.mark };
      await applying(() => onBatch(changes, to));
      if (follower) this.delivered(to);
      cursor = to;
      summary.position = to;
      summary.files += found.length;
      for (const change of changes) {
        if (change.type === 'upsert') summary.upserts++;
        else summary.removals++;
      }
      onProgress?.(summary.files, summary.files);
      if (found.length < this.batchSize) break;
    }
    return summary;
  }

  /**
   * Compares the whole store with `known` in one consistent snapshot: every article's hash first (cheap),
   * then the rows of the new and changed ones; known articles that are gone become removals. The last batch
   * carries the log's head in that snapshot, with `reset`: the reader then holds the store exactly as of it,
   * and following from there misses nothing. `follower`: this is the live reader's compare, whose head is
   * the one /readyz reports (a rebuild's compare beside it must not overwrite a later one).
   */
  private async compareAll(
    known: ReadonlyMap<string, ArticleVersion>,
    onBatch: ChangeListener,
    options: { onProgress?: ((done: number, total: number) => void) | undefined; follower?: boolean } = {},
  ): Promise<CatchUp> {
    const client = await this.connect(this.readPool);
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      // Idle between batches while the reader indexes one: the writers' limit on idle transactions is not for this.
      await client.query('SET LOCAL idle_in_transaction_session_timeout = 0');
      const { rows: heads } = await client.query<{ seq: string; mark: string }>(
        `SELECT seq, ${MARK('committed_at')} AS mark FROM article_changes ORDER BY seq DESC LIMIT 1`,
      );
      const head: LogPosition = heads[0] ? { seq: Number(heads[0].seq), mark: heads[0].mark } : { seq: 0, mark: '' };
      const { rows: hashes } = await client.query<{ id: string; hash: string }>('SELECT id, hash FROM articles ORDER BY id');
      const summary: CatchUp = { files: hashes.length, unchanged: 0, upserts: 0, removals: 0, skipped: 0, resumed: false, position: head };
      const wanted: string[] = [];
      const present = new Set<string>();
      for (const { id, hash } of hashes) {
        present.add(id);
        if (known.get(id)?.hash === hash) summary.unchanged++;
        else wanted.push(id);
      }
      let done = summary.unchanged;
      for (let start = 0; start < wanted.length; start += this.batchSize) {
        const ids = wanted.slice(start, start + this.batchSize);
        const { rows } = await client.query<ArticleRow>(`SELECT ${ARTICLE_COLUMNS} FROM articles WHERE id = ANY($1) ORDER BY id`, [ids]);
        const changes: ArticleChange[] = rows.map((row) => ({ type: 'upsert', article: articleOf(row), version: versionOfRow(row) }));
        summary.upserts += changes.length;
        await applying(() => onBatch(changes));
        done += ids.length;
        options.onProgress?.(done, hashes.length);
      }
      const removals: ArticleChange[] = [];
      for (const id of known.keys()) if (!present.has(id)) removals.push({ type: 'remove', id });
      summary.removals = removals.length;
      await applying(() => onBatch(removals, { ...head, reset: true }));
      await client.query('COMMIT');
      if (options.follower || this.head === null || head.seq > this.head.seq) this.head = { seq: head.seq, oldestUnappliedAt: null };
      this.lastReadAt = new Date();
      return summary;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  // ---- writing ---------------------------------------------------------------------------------

  /**
   * Runs `work` in one transaction under the writers' lock and notifies followers on commit. A failure
   * before COMMIT leaves nothing written; losing the connection during COMMIT leaves the outcome unknown,
   * which the error says.
   */
  private async write<T extends { seq: number | null }>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.connect();
    let committing = false;
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL lock_timeout = ${Math.round(this.options.lockTimeoutMs ?? 5_000)}`);
      await client.query('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK]);
      const result = await work(client);
      if (result.seq !== null) await client.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, String(result.seq)]);
      committing = true;
      await client.query('COMMIT');
      client.release();
      return result;
    } catch (error) {
      const lost = isConnectionError(error) || isQueryTimeout(error);
      // After a client-side timeout the statement still runs on this connection, and a ROLLBACK would queue
      // behind it: the connection is dropped instead (release with the error), which ends the transaction.
      if (!lost) await client.query('ROLLBACK').catch(() => undefined);
      client.release(error instanceof Error ? error : true);
      if (error instanceof ArticleError || error instanceof StoreError) throw error;
      if (lost || isLockTimeout(error)) {
        const outcome = committing ? 'the write may or may not have been committed: read the article to know' : 'nothing was written';
        throw new StoreError('unavailable', `the article database cannot take writes now (${describe(error)}); ${outcome}`);
      }
      throw error;
    }
  }

  private async connect(pool = this.pool): Promise<pg.PoolClient> {
    try {
      const client = await pool.connect();
      watchConnection(client, this.logger);
      return client;
    } catch (error) {
      throw new StoreError('unavailable', `the article database cannot be reached (${describe(error)}); nothing was written`);
    }
  }

  private query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
    return this.readPool.query<R>(text, values);
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.lock.then(task, task);
    this.lock = run.catch(() => undefined);
    return run;
  }
}

/** The input that encodes back to `article` (the import command reads files into articles first). */
function articleInput(article: Article): ArticleInput {
  return { title: article.title, date: article.date, source: article.source, url: article.url, text: article.paragraphs.join('\n\n') };
}

async function nextSeq(client: pg.ClientBase): Promise<number> {
  const { rows } = await client.query<{ seq: string }>(`SELECT nextval(pg_get_serial_sequence('article_changes', 'seq')) AS seq`);
  return Number(rows[0]!.seq);
}

async function logChange(client: pg.ClientBase, seq: number, id: string, kind: 'upsert' | 'remove'): Promise<void> {
  await client.query('INSERT INTO article_changes (seq, article_id, kind) VALUES ($1, $2, $3)', [seq, id, kind]);
}

async function upsertArticle(client: pg.ClientBase, article: Article, hash: string, seq: number): Promise<void> {
  await client.query(
    `INSERT INTO articles (${ARTICLE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, clock_timestamp())
     ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, date = EXCLUDED.date, source = EXCLUDED.source, url = EXCLUDED.url,
       paragraphs = EXCLUDED.paragraphs, hash = EXCLUDED.hash, seq = EXCLUDED.seq, changed_at = EXCLUDED.changed_at`,
    [article.id, article.title, article.date, article.source, article.url, article.paragraphs, hash, seq],
  );
}

function articleOf(row: ArticleRow): Article {
  return { id: row.id, title: row.title, date: row.date, source: row.source, url: row.url, paragraphs: row.paragraphs };
}

function versionOfRow(row: ArticleRow): ArticleVersion {
  return { hash: row.hash, token: String(row.seq), changedAtMs: row.changed_at.getTime() };
}

/** The database is down, restarting, or the connection went: a condition to wait out, not a bug. */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: string }).code ?? '';
  if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH'].includes(code)) return true;
  // 08: connection exception; 57P01-57P03: admin shutdown, crash shutdown, cannot connect now.
  if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03') return true;
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable/i.test(error.message);
}

/**
 * A checked-out client whose connection drops emits 'error' as well as failing its query; the query's
 * failure is handled where it is awaited, and an unheard 'error' would end the process.
 */
function watchConnection(client: pg.PoolClient, logger: Logger): void {
  if (watchedClients.has(client)) return;
  watchedClients.add(client);
  client.on('error', (error) => logger.debug({ err: error }, `a PostgreSQL connection in use closed: ${error.message}`));
}

/** node-postgres's query_timeout fired: the server may still be running (or committing) the statement. */
function isQueryTimeout(error: unknown): boolean {
  return error instanceof Error && error.message === 'Query read timeout';
}

/** The listener failed to apply a batch the database delivered (not the database's fault). */
class ApplyError extends Error {
  constructor(override readonly cause: unknown) {
    super(`applying changes failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'ApplyError';
  }
}

async function applying(deliver: () => Promise<void>): Promise<void> {
  try {
    await deliver();
  } catch (error) {
    throw new ApplyError(error);
  }
}

function isLockTimeout(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === '55P03';
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: string }).code;
  return code ? `${code}: ${error.message}` : error.message;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
