/**
 * Shared by the command tests: an in-memory terminal and file system for `runCli`.
 */
import type { CliIo } from './io.js';

export function fakeIo(files: Readonly<Record<string, string>>, isTty = false) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (s) => out.push(s),
    err: (s) => err.push(s),
    readFile: (path) => (path in files ? Promise.resolve(files[path] ?? '') : Promise.reject(new Error(`ENOENT: ${path}`))),
    isTty,
  };
  return { io, out: () => out.join(''), err: () => err.join('') };
}
