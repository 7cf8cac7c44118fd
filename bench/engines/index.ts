/** The benchmark's contenders by name; each is imported only by the process that runs it. */
import type { Engine } from './engine.js';

export const ENGINE_NAMES = ['ours', 'minisearch-defaults', 'minisearch-porter', 'flexsearch', 'lunr', 'sqlite-fts5', 'lancedb'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

/**
 * What `npm run bench` runs without `--engines` (`--engines all` runs every one). The native contenders are
 * left out: at 10k and 100k they add about a quarter to the other five's time (183 s to 764 s in the run that
 * measured them, LanceDB most of it), and the default run must stay within its 10 minutes.
 */
export const DEFAULT_ENGINES: readonly EngineName[] = ['ours', 'minisearch-defaults', 'minisearch-porter', 'flexsearch', 'lunr'];

/** lunr builds too slowly and holds too much for larger corpora: above this it is skipped. */
export const LUNR_MAX_PARAGRAPHS = 100_000;

export function isEngineName(name: string): name is EngineName {
  return (ENGINE_NAMES as readonly string[]).includes(name);
}

/** Imports one engine's module (and so its library) and creates the adapter. */
export async function loadEngine(name: EngineName): Promise<Engine> {
  switch (name) {
    case 'ours':
      return (await import('./ours.js')).oursEngine();
    case 'minisearch-defaults':
      return (await import('./minisearch.js')).minisearchDefaults();
    case 'minisearch-porter':
      return (await import('./minisearch.js')).minisearchPorter();
    case 'flexsearch':
      return (await import('./flexsearch.js')).flexsearchEngine();
    case 'lunr':
      return (await import('./lunr.js')).lunrEngine();
    case 'sqlite-fts5':
      return (await import('./sqlite-fts5.js')).sqliteFts5Engine();
    case 'lancedb':
      return (await import('./lancedb.js')).lancedbEngine();
  }
}
