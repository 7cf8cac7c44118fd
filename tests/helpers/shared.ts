/**
 * Locates the read-only `../shared` materials, and says whether installed programs a suite needs are there;
 * tests that need either skip with a notice when absent.
 */
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

/**
 * Whether a suite that needs an installed program can run. Outside CI a missing one skips the suite with
 * a notice; in CI (`CI=true`) it is an error, so a broken install fails the run instead of passing it.
 * @param problem why it cannot run, or null when it can
 */
export function requireInstalled(suite: string, problem: string | null): boolean {
  if (problem === null) return true;
  if (process.env.CI === 'true' || process.env.CI === '1') {
    throw new Error(`${suite}: ${problem} in CI (scripts/install-system-deps.sh installs it)`);
  }
  console.warn(`notice: ${suite} skipped: ${problem} (scripts/install-system-deps.sh installs it)`);
  return false;
}
