/**
 * Checking JSON at the edge: small readers that narrow `unknown` to what the UI needs and say where a
 * document went wrong (`queues.children[3].allocatedResource.vcore: expected a number`). The pages never
 * see raw JSON; model.ts turns every answer into the UI's own types with these.
 */
import type { Resource } from '../format.js';

export class DecodeError extends Error {
  constructor(readonly path: string, expected: string) {
    super(`${path}: expected ${expected}`);
    this.name = 'DecodeError';
  }
}

export type Json = Readonly<Record<string, unknown>>;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function object(v: unknown, path: string): Json {
  if (!isObject(v)) throw new DecodeError(path, 'an object');
  return v;
}

export function array(v: unknown, path: string): readonly unknown[] {
  if (!Array.isArray(v)) throw new DecodeError(path, 'an array');
  return v;
}

/** An optional array: absent or null (Go's nil slice) reads as empty. */
export function optArray(o: Json, key: string, path: string): readonly unknown[] {
  const v = o[key];
  return v === undefined || v === null ? [] : array(v, `${path}.${key}`);
}

export function str(o: Json, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new DecodeError(`${path}.${key}`, 'a string');
  return v;
}

export function optStr(o: Json, key: string, path: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new DecodeError(`${path}.${key}`, 'a string');
  return v;
}

export function num(o: Json, key: string, path: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new DecodeError(`${path}.${key}`, 'a number');
  return v;
}

export function optNum(o: Json, key: string, path: string): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new DecodeError(`${path}.${key}`, 'a number');
  return v;
}

export function bool(o: Json, key: string, path: string, fallback?: boolean): boolean {
  const v = o[key];
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== 'boolean') throw new DecodeError(`${path}.${key}`, 'a boolean');
  return v;
}

/** A `{ name: integer }` map; absent reads as undefined (YuniKorn omits empty maps). */
export function optResource(o: Json, key: string, path: string): Resource | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  const m = object(v, `${path}.${key}`);
  const out: Record<string, number> = {};
  for (const [name, q] of Object.entries(m)) {
    if (typeof q !== 'number' || !Number.isFinite(q)) throw new DecodeError(`${path}.${key}.${name}`, 'a number');
    out[name] = q;
  }
  return out;
}

export const EMPTY: Resource = Object.freeze({});

export function resource(o: Json, key: string, path: string): Resource {
  return optResource(o, key, path) ?? EMPTY;
}

/** A `{ key: string }` map such as queue properties or node attributes. */
export function strings(o: Json, key: string, path: string): Readonly<Record<string, string>> {
  const v = o[key];
  if (v === undefined || v === null) return {};
  const m = object(v, `${path}.${key}`);
  const out: Record<string, string> = {};
  for (const [k, s] of Object.entries(m)) {
    if (typeof s !== 'string') throw new DecodeError(`${path}.${key}.${k}`, 'a string');
    out[k] = s;
  }
  return out;
}

/** A `{ key: number }` map such as applications per state. */
export function counts(o: Json, key: string, path: string): Readonly<Record<string, number>> {
  return optResource(o, key, path) ?? {};
}
