/** Which files of an articles folder are articles, and their ids. */
import { basename } from 'node:path';

/** Is this file name one the folder serves as an article? (`.txt`, not hidden, not an editor's temp file.) */
export function isArticleFileName(name: string): boolean {
  return name.endsWith('.txt') && !name.startsWith('.') && !name.startsWith('~') && !name.startsWith('#') && name.length > 4;
}

/** The article id of a file name: the name without `.txt`. */
export function articleIdOf(fileName: string): string {
  return basename(fileName).slice(0, -'.txt'.length);
}
