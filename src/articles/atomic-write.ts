/** Crash-safe file writes: a crash leaves the old file or the new one, never a torn or empty one. */
import { randomBytes } from 'node:crypto';
import { link, open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Writes `dir/name` atomically: a hidden temporary file in the same folder (watchers ignore it), fsync,
 * then rename over the target — or, without `overwrite`, link(), which refuses to replace an existing
 * file — then fsync of the folder so the new name survives a crash.
 * @returns false when `overwrite` is off and the file already exists (nothing is written)
 */
export async function writeFileAtomically(dir: string, name: string, data: string | Uint8Array, { overwrite }: { overwrite: boolean }): Promise<boolean> {
  const tmp = join(dir, `.${name}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(tmp, 'wx', 0o644);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    // A full disk or an I/O error: leave nothing behind.
    await handle.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw error;
  }
  await handle.close();
  try {
    if (overwrite) await rename(tmp, join(dir, name));
    else {
      try {
        await link(tmp, join(dir, name));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw error;
      }
    }
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
  await syncDir(dir);
  return true;
}

/** fsync of a folder, so a rename in it survives a crash. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
