/**
 * The synonym file the searcher uses: read at start-up, read again whenever it changes (no restart), each
 * bad line reported with its number and skipped while the rest applies. A missing file means no synonyms.
 */
import { readFile } from 'node:fs/promises';
import { watch, type FSWatcher } from 'chokidar';
import type { Analyzer } from '../analysis/analyzer.js';
import type { Logger } from '../logger.js';
import { NO_SYNONYMS, parseSynonyms, Synonyms, type SynonymLineError } from '../query/synonyms.js';

/** Quiet time after a change before the file is read again (an editor writes in several steps). */
const RELOAD_DELAY_MS = 100;

export class SynonymFile {
  private synonyms: Synonyms = NO_SYNONYMS;
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private loads = 0;
  /** The bad lines of the last read. */
  errors: SynonymLineError[] = [];

  constructor(
    readonly path: string,
    private readonly analyzer: Pick<Analyzer, 'analyze'>,
    private readonly logger: Logger,
  ) {}

  /** The synonyms in force. */
  get current(): Synonyms {
    return this.synonyms;
  }

  /** How many times the file was read (for tests that wait for a reload). */
  get loadCount(): number {
    return this.loads;
  }

  /** Reads the file; what it held before stays in force if it cannot be read at all. */
  async load(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        this.synonyms = NO_SYNONYMS;
        this.errors = [];
        this.loads++;
        this.logger.info({ file: this.path }, `no synonym file at ${this.path}: searching without synonyms`);
        return;
      }
      this.loads++;
      this.logger.warn({ file: this.path, code }, `synonym file ${this.path} unreadable (${code ?? String(error)}): the synonyms in force stay`);
      return;
    }
    const { rules, errors } = parseSynonyms(text);
    for (const e of errors) this.logger.warn({ file: this.path, line: e.line }, `${this.path} line ${e.line}: ${e.message}; the line is skipped`);
    this.synonyms = new Synonyms(rules, this.analyzer);
    this.errors = errors;
    this.loads++;
    this.logger.info({ file: this.path, rules: rules.length, invalid: errors.length }, `loaded ${rules.length} synonym rules from ${this.path}${errors.length > 0 ? ` (${errors.length} lines skipped)` : ''}`);
  }

  /** Reads the file again whenever it is written, replaced or removed. */
  async watch(): Promise<void> {
    if (this.watcher !== null) return;
    this.watcher = watch(this.path, { ignoreInitial: true });
    const later = () => {
      if (this.timer !== null) clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.load();
      }, RELOAD_DELAY_MS);
    };
    this.watcher.on('add', later).on('change', later).on('unlink', later);
    await new Promise<void>((resolve) => this.watcher!.once('ready', () => resolve()));
  }

  async close(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.watcher?.close();
    this.watcher = null;
  }
}
