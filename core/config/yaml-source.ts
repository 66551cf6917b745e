/**
 * Reading YAML text into plain values while remembering where every value came from.
 *
 * The result is the first document as plain JavaScript (mappings become objects, sequences arrays,
 * scalars their YAML 1.2 core-schema values), plus an index from each path to the line and column of
 * its key and value and to the scalar's source text. The source text lets the decoder give string
 * fields exactly what YuniKorn's Go decoder gives them (`name: 0x10` is the string "0x10").
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import { error, formatPath, warning } from './issues.js';
import type { DocPath, PathSegment, PendingIssue } from './issues.js';

export interface Position {
  readonly line: number;
  readonly column: number;
}

interface Entry {
  key?: Position;
  value?: Position;
  source?: string;
}

/** Positions and scalar source text, keyed by formatted path. */
export class SourceIndex {
  private readonly entries = new Map<string, Entry>();

  set(path: DocPath, part: 'key' | 'value', pos: Position): void {
    const id = formatPath(path);
    const entry = this.entries.get(id) ?? {};
    entry[part] = pos;
    this.entries.set(id, entry);
  }

  setSource(path: DocPath, source: string): void {
    const id = formatPath(path);
    const entry = this.entries.get(id) ?? {};
    entry.source = source;
    this.entries.set(id, entry);
  }

  /** The scalar text as written, for string fields. */
  source(path: DocPath): string | undefined {
    return this.entries.get(formatPath(path))?.source;
  }

  /** The position of the node at path, or of its nearest ancestor that has one. */
  locate(path: DocPath, onKey: boolean): Position | undefined {
    for (let len = path.length; len >= 0; len--) {
      const entry = this.entries.get(formatPath(path.slice(0, len)));
      if (entry === undefined) continue;
      const pos = onKey && len === path.length ? (entry.key ?? entry.value) : (entry.value ?? entry.key);
      if (pos !== undefined) return pos;
    }
    return undefined;
  }
}

export interface ParsedYaml {
  /** The first document's value; null for an empty document. */
  readonly value: unknown;
  readonly index: SourceIndex;
  readonly issues: readonly PendingIssue[];
  /** True when the text could not be read as YAML at all. */
  readonly broken: boolean;
}

const MAX_ALIAS_DEPTH = 64;

export function parseYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const index = new SourceIndex();
  const issues: PendingIssue[] = [];
  const parsed = parseAllDocuments(text, { lineCounter, merge: true, uniqueKeys: true, prettyErrors: false, strict: true });
  const docs: Document.Parsed[] = Array.isArray(parsed) ? parsed : [];
  const posAt = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };

  const first = docs[0];
  if (first === undefined) return { value: null, index, issues, broken: false };

  for (const doc of docs) {
    for (const err of doc.errors) {
      // Syntax errors carry no document path; use a synthetic one so that locate() finds the offset.
      const at: DocPath = [`@${err.pos[0]}`];
      index.set(at, 'value', posAt(err.pos[0]));
      if (err.code === 'DUPLICATE_KEY') {
        const key = text.slice(err.pos[0], err.pos[1]).trim();
        issues.push(error('yaml-duplicate-key', at, `the key '${key}' appears twice in this mapping; YuniKorn rejects that too ("already defined")`));
      } else {
        issues.push(error('yaml-syntax', at, firstLine(err.message)));
      }
    }
  }
  if (docs.length > 1) {
    const second = docs[1];
    const at: DocPath = ['@second-document'];
    if (second?.range !== undefined) index.set(at, 'value', posAt(second.range[0]));
    issues.push(warning('yaml-multiple-documents', at, `the text holds ${docs.length} YAML documents; only the first is read, as YuniKorn reads it (remove the '---' separators or split the file)`));
  }
  if (issues.some((i) => i.severity === 'error')) return { value: null, index, issues, broken: true };

  const walk = (node: unknown, path: PathSegment[], depth: number): unknown => {
    if (node === null || node === undefined) return null;
    if (depth > MAX_ALIAS_DEPTH) {
      issues.push(error('yaml-syntax', path, 'aliases nest too deeply (a recursive alias?)'));
      return null;
    }
    if (isAlias(node)) {
      const target = node.resolve(first);
      if (target === undefined) {
        issues.push(error('yaml-syntax', path, `alias *${node.source} refers to no anchor`));
        return null;
      }
      return walk(target, path, depth + 1);
    }
    const range = (node as YamlNode).range;
    if (range !== undefined && range !== null) index.set(path, 'value', posAt(range[0]));
    if (isScalar(node)) {
      if (typeof node.source === 'string') index.setSource(path, node.source);
      else if (typeof node.value === 'string') index.setSource(path, node.value);
      return node.value;
    }
    if (isSeq(node)) return node.items.map((item, i) => walk(item, [...path, i], depth));
    if (isMap(node)) {
      const merged: [string, unknown][] = [];
      const own: [string, unknown][] = [];
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key;
        if (isScalar(keyNode) && typeof keyNode.value === 'symbol') {
          // a `<<` merge key (the yaml library marks it with a symbol when merge keys are on)
          mergeInto(merged, walk(pair.value, path, depth + 1));
          continue;
        }
        const key = keyText(keyNode);
        if (key === undefined) {
          issues.push(error('wrong-type', path, 'a mapping key must be a plain scalar, not a mapping or sequence'));
          continue;
        }
        const keyRange = (keyNode as YamlNode | null)?.range;
        if (keyRange !== undefined && keyRange !== null) index.set([...path, key], 'key', posAt(keyRange[0]));
        own.push([key, walk(pair.value, [...path, key], depth)]);
      }
      // Explicit keys win over merged ones, as the YAML merge key type says.
      const ownKeys = new Set(own.map(([k]) => k));
      return Object.fromEntries([...merged.filter(([k]) => !ownKeys.has(k)), ...own]);
    }
    return null;
  };

  const value = walk(first.contents, [], 0);
  return { value, index, issues, broken: false };
}

function mergeInto(target: [string, unknown][], source: unknown): void {
  const sources = Array.isArray(source) ? source : [source];
  for (const s of sources) {
    if (s === null || typeof s !== 'object' || Array.isArray(s)) continue;
    for (const [k, v] of Object.entries(s as Record<string, unknown>)) {
      if (!target.some(([tk]) => tk === k)) target.push([k, v]);
    }
  }
}

function keyText(key: unknown): string | undefined {
  if (key === null || key === undefined) return '';
  if (isScalar(key)) {
    if (typeof key.source === 'string') return key.source;
    const v: unknown = key.value;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
    return '';
  }
  return undefined;
}

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, '').trim();
}
