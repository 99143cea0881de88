import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** Every TypeScript source file of the server side (not the browser UI), with its text, for tests that read the source. */
export function serverSources(): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) {
        if (path !== join(SRC, 'ui')) walk(path);
      } else if (/\.c?ts$/.test(e.name)) out.push({ file: path.slice(SRC.length), text: readFileSync(path, 'utf8') });
    }
  };
  walk(SRC);
  return out;
}

/** Every match of `re` (global) over the sources, with the file it is in. */
export function sourceMatches(re: RegExp): { file: string; match: RegExpExecArray }[] {
  return serverSources().flatMap(({ file, text }) => [...text.matchAll(re)].map((match) => ({ file, match })));
}
