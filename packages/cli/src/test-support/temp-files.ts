import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/**
 * A scratch directory for one test file, removed when the file's tests end. Returns a
 * function that writes a file there (each in a folder of its own, so names may repeat) and
 * gives its path.
 */
export function tempFiles(prefix: string): (name: string, content: string) => string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  let n = 0;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return (name, content) => {
    const sub = join(dir, String(n++));
    mkdirSync(sub);
    const file = join(sub, name);
    writeFileSync(file, content);
    return file;
  };
}
