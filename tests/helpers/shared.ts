/** Locates the read-only `../shared` materials; tests that need them skip with a notice when absent. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHARED_DIR = resolve(REPO_ROOT, '..', 'shared');

/**
 * The path of `../shared/<parts>` if it exists, else `undefined` after printing a notice that names
 * the test that will be skipped (an outside clone has no `../shared` and must still pass).
 */
export function sharedPath(what: string, ...parts: string[]): string | undefined {
  const path = join(SHARED_DIR, ...parts);
  if (existsSync(path)) return path;
  console.warn(`notice: ${path} is absent, so ${what} is skipped`);
  return undefined;
}
