/** Looking at processes from a test: whether one still runs. */
import { readFileSync } from 'node:fs';

/** Whether a process runs; a zombie (exited, its parent has not yet collected it) does not. */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
