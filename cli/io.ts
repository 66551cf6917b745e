/**
 * What a command needs from the outside world, passed in so that commands run in tests without
 * spawning a process.
 */
import { readFile } from 'node:fs/promises';
import { text } from 'node:stream/consumers';

export interface CliIo {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
  /** Read a file, or standard input for '-'. */
  readonly readFile: (path: string) => Promise<string>;
  readonly isTty: boolean;
}

export function nodeIo(): CliIo {
  return {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    readFile: (path) => (path === '-' ? text(process.stdin) : readFile(path, 'utf8')),
    isTty: process.stdout.isTTY,
  };
}
