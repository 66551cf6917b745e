/**
 * The configuration checksum, computed as YuniKorn computes it so that both report the same value
 * for the same text: SHA-256 over the text with any `checksum: <64 hex>` entry taken out, upper-case hex.
 */
import { createHash } from 'node:crypto';

const KEY = 'checksum: ';

export function configChecksum(text: string): string {
  let stripped = text;
  const at = text.indexOf(KEY);
  if (at >= 0) {
    // YuniKorn removes the key and up to 64 characters of the value that follows it.
    const after = text.slice(at + KEY.length).split(KEY)[0] ?? '';
    const value = after.replace(/\n+$/, '').slice(0, 64);
    stripped = text.split(KEY + value).join('');
  }
  return createHash('sha256').update(stripped, 'utf8').digest('hex').toUpperCase();
}
