import { mkdtemp, rm, writeFile, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../src/analysis/analyzer.js';
import type { Logger } from '../../src/logger.js';
import { SynonymFile } from '../../src/search/synonym-file.js';
import { parseSyntax } from '../../src/query/syntax.js';
import { analyzeQuery } from '../../src/query/analyze.js';

const analyzer = createAnalyzer();

function recordingLogger() {
  const lines: Array<{ level: string; msg: string; obj: object }> = [];
  const at = (level: string) => (obj: object, msg = '') => void lines.push({ level, msg, obj });
  const logger: Logger = { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') };
  return { logger, lines };
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const expansionsOf = (file: SynonymFile, q: string) => analyzeQuery(q, parseSyntax(q), analyzer, file.current).expansions;

describe('SynonymFile', () => {
  let dir: string;
  let file: SynonymFile | null = null;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'synoniemen-'));
  });
  afterEach(async () => {
    await file?.close();
    file = null;
    await rm(dir, { recursive: true, force: true });
  });

  it('loads the rules, reports each bad line with its number, and applies the rest', async () => {
    const path = join(dir, 'synonyms.txt');
    await writeFile(path, '# test\nNAVO, NATO\nkapot,\nVS, Verenigde Staten\n');
    const { logger, lines } = recordingLogger();
    file = new SynonymFile(path, analyzer, logger);
    await file.load();
    expect(file.errors).toEqual([{ line: 3, message: expect.stringMatching(/empty entry/) }]);
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.msg)).toEqual([expect.stringMatching(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} line 3: .*skipped$`))]);
    expect(expansionsOf(file, 'NATO')).toEqual([{ text: 'NATO', synonyms: ['NAVO'] }]);
    expect(expansionsOf(file, 'VS')).toEqual([{ text: 'VS', synonyms: ['Verenigde Staten'] }]);
  });

  it('reloads when the file is written or replaced, without a restart, and empties when it is removed', async () => {
    const path = join(dir, 'synonyms.txt');
    await writeFile(path, 'NAVO, NATO\n');
    const { logger } = recordingLogger();
    file = new SynonymFile(path, analyzer, logger);
    await file.load();
    await file.watch();
    const loads = file.loadCount;
    await writeFile(path, 'NAVO, NATO\nPutin => Poetin\n');
    await until(() => file!.loadCount > loads && expansionsOf(file!, 'Putin').length === 1);
    // Replaced the way editors save: a new file renamed over the old one.
    const next = file.loadCount;
    await writeFile(join(dir, 'tmp'), 'EU, Europese Unie\n');
    await rename(join(dir, 'tmp'), path);
    await until(() => file!.loadCount > next && expansionsOf(file!, 'EU').length === 1);
    expect(expansionsOf(file, 'NATO')).toEqual([]);
    await rm(path);
    await until(() => expansionsOf(file!, 'EU').length === 0);
  });

  it('means no synonyms when the file is missing', async () => {
    const { logger, lines } = recordingLogger();
    file = new SynonymFile(join(dir, 'er-niet.txt'), analyzer, logger);
    await file.load();
    expect(expansionsOf(file, 'NATO')).toEqual([]);
    expect(lines.some((l) => l.level === 'info' && /no synonym file/.test(l.msg))).toBe(true);
  });
});
