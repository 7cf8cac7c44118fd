/**
 * Crash-safe file writes: a crash leaves the old file or the new one, never a torn or empty one. Owns the
 * names of the temporary files, so what a killed writer left behind can be recognised and removed.
 */
import { randomBytes } from 'node:crypto';
import { link, lstat, open, readdir, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** What was written: the file's size and modification time (a rename keeps the temporary file's mtime). */
export interface WrittenFile {
  size: number;
  mtimeMs: number;
}

/**
 * A temporary name in `dir` for writing `name`: hidden (watchers and scans pass over it) and carrying the
 * writer's process id, so a leftover from a writer that died can be told from one still being written.
 */
export function temporaryPath(dir: string, name: string): string {
  return join(dir, `.${name}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** `.<name>.<pid>.<8 hex>.tmp`, as `temporaryPath` makes them. */
const TEMPORARY_NAME = /^\.(.+)\.(\d+)\.[0-9a-f]{8}\.tmp$/;

/**
 * Writes `dir/name` atomically: a temporary file in the same folder, fsync, then rename over the target —
 * or, without `overwrite`, link(), which refuses to replace an existing file — then fsync of the folder so
 * the new name survives a crash. On any failure the temporary file is removed and the target is untouched.
 * @returns what was written, or null when `overwrite` is off and the file already exists (nothing written)
 */
export async function writeFileAtomically(dir: string, name: string, data: string | Uint8Array, { overwrite }: { overwrite: boolean }): Promise<WrittenFile | null> {
  const tmp = temporaryPath(dir, name);
  const handle = await open(tmp, 'wx', 0o644);
  let written: WrittenFile;
  try {
    await handle.writeFile(data);
    await handle.sync();
    const stats = await handle.stat();
    written = { size: stats.size, mtimeMs: stats.mtimeMs };
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
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return null;
        throw error;
      }
    }
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
  await syncDir(dir);
  return written;
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

/** A temporary file removed because its writer is gone. */
export interface RemovedLeftover {
  path: string;
  /** The file it was meant to become. */
  target: string;
  pid: number;
}

/**
 * Removes the temporary files in `dir` left by writers that died (named as `temporaryPath` names them, by a
 * process that no longer runs). A temporary file of a live writer — this process, or an import running
 * beside the service — is left alone.
 */
export async function removeLeftoverTemporaryFiles(dir: string): Promise<RemovedLeftover[]> {
  const removed: RemovedLeftover[] = [];
  for (const name of await readdir(dir)) {
    const m = TEMPORARY_NAME.exec(name);
    if (!m) continue;
    const pid = Number(m[2]);
    if (isRunning(pid)) continue;
    const path = join(dir, name);
    try {
      // Only our own kind of file: a folder or a link that happens to carry such a name is not ours.
      if (!(await lstat(path)).isFile()) continue;
      await unlink(path);
      removed.push({ path, target: m[1]!, pid });
    } catch {
      // Gone already (another process cleaned up): nothing to do.
    }
  }
  return removed;
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
