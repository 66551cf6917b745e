/**
 * Reading YAML text into plain values while remembering where every value came from.
 *
 * js-yaml's event parser gives a flat stream of events with offsets into the text; this file composes
 * them into the first document's value, resolving plain scalars with the YAML 1.2 core schema as Go's
 * yaml.v3 does (`010` is octal, `_` may separate digits, `yes` stays a string), anchors, aliases and
 * `<<` merge keys. Beside the value it builds a tree of offsets, so that an issue found later can be
 * given the line and column of its key or value, and it keeps the written text of numbers whose
 * text is not their canonical form, so that a string field gets what YuniKorn gets (`name: 0x10` is
 * "0x10", not "16").
 */
import { EVENT_ID, getScalarValue, parseEvents, SCALAR_STYLE } from 'js-yaml';
import type { Event, ScalarEvent } from 'js-yaml';
import { error, warning } from './issues.js';
import type { DocPath, PathSegment, PendingIssue } from './issues.js';

export type ScalarStyleName = 'plain' | 'single-quoted' | 'double-quoted' | 'literal' | 'folded';

const STYLE_NAMES: Readonly<Record<number, ScalarStyleName>> = {
  [SCALAR_STYLE.PLAIN]: 'plain',
  [SCALAR_STYLE.SINGLE_QUOTED]: 'single-quoted',
  [SCALAR_STYLE.DOUBLE_QUOTED]: 'double-quoted',
  [SCALAR_STYLE.LITERAL_BLOCK]: 'literal',
  [SCALAR_STYLE.FOLDED_BLOCK]: 'folded',
};

export interface Position {
  readonly line: number;
  readonly column: number;
}

interface PosNode {
  /** Offset of the key that holds this node, -1 if none. */
  key: number;
  /** Offset of the node itself, -1 if it has no text (an empty value). */
  value: number;
  /** The text of a number that String(number) would not reproduce. */
  source?: string;
  /** For a scalar: how it is written, and a block scalar's indentation. */
  style?: ScalarStyleName;
  indent?: number;
  kids?: Map<PathSegment, PosNode>;
}

/** Positions and number source text, by path. Offsets become lines and columns only when asked. */
export class SourceIndex {
  private lineStarts: number[] | undefined;

  constructor(
    private readonly text: string,
    private readonly root: PosNode,
  ) {}

  private node(path: DocPath): PosNode[] {
    const chain = [this.root];
    let cur: PosNode | undefined = this.root;
    for (const seg of path) {
      cur = cur.kids?.get(seg);
      if (cur === undefined) break;
      chain.push(cur);
    }
    return chain;
  }

  /** The written text of a number at path, when it differs from its canonical form. */
  source(path: DocPath): string | undefined {
    const chain = this.node(path);
    return chain.length === path.length + 1 ? chain[chain.length - 1]?.source : undefined;
  }

  /** How the scalar at path is written: its style, where its text starts, and a block's indentation. */
  scalar(path: DocPath): { style: ScalarStyleName; offset: number; indent: number } | undefined {
    const chain = this.node(path);
    const n = chain[chain.length - 1];
    if (chain.length !== path.length + 1 || n?.style === undefined) return undefined;
    return { style: n.style, offset: n.value, indent: n.indent ?? 0 };
  }

  /** The position of the node at path (its key with onKey), or of its nearest ancestor that has one. */
  locate(path: DocPath, onKey: boolean): Position | undefined {
    const chain = this.node(path);
    const exact = chain.length === path.length + 1;
    for (let i = chain.length - 1; i >= 0; i--) {
      const n = chain[i];
      if (n === undefined) continue;
      const first = onKey && exact && i === chain.length - 1 ? n.key : n.value;
      const offset = first >= 0 ? first : n.value >= 0 ? n.value : n.key;
      if (offset >= 0) return this.position(offset);
    }
    return undefined;
  }

  position(offset: number): Position {
    if (this.lineStarts === undefined) {
      const starts = [0];
      for (let i = this.text.indexOf('\n'); i >= 0; i = this.text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.lineStarts = starts;
    }
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (starts[lo] ?? 0) + 1 };
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

/** An issue at a raw offset (syntax errors have no document path). */
export interface OffsetIssue {
  readonly issue: PendingIssue;
  readonly offset: number;
}

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const BOOLS: Readonly<Record<string, boolean>> = { true: true, True: true, TRUE: true, false: false, False: false, FALSE: false };
const DECIMAL = /^[-+]?[0-9][0-9_]*$/;
const PREFIXED = /^([-+]?)0([xob])([0-9a-fA-F_]+)$/;
const FLOAT = /^[-+]?(?:\.[0-9_]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?$/;
const INFINITY = /^[-+]?\.(?:inf|Inf|INF)$/;
const NAN = /^\.(?:nan|NaN|NAN)$/;

/** A plain scalar as the YAML 1.2 core schema (and Go's yaml.v3) resolves it. */
export function resolvePlain(text: string): string | number | boolean | null {
  if (NULLS.has(text)) return null;
  const b = BOOLS[text];
  if (b !== undefined) return b;
  if (DECIMAL.test(text)) {
    const digits = text.replace(/_/g, '');
    const unsigned = digits.replace(/^[-+]/, '');
    // Go's strconv.ParseInt with base 0: a leading 0 means octal.
    if (unsigned.length > 1 && unsigned.startsWith('0') && /^[0-7]+$/.test(unsigned)) {
      return (digits.startsWith('-') ? -1 : 1) * parseInt(unsigned, 8);
    }
    if (!/^[-+]?0[0-9]/.test(digits)) return Number(digits);
  }
  const prefixed = PREFIXED.exec(text);
  if (prefixed !== null) {
    const [, sign = '', base = '', digits = ''] = prefixed;
    const radix = base === 'x' ? 16 : base === 'o' ? 8 : 2;
    const clean = digits.replace(/_/g, '');
    const valid = radix === 16 ? /^[0-9a-fA-F]+$/ : radix === 8 ? /^[0-7]+$/ : /^[01]+$/;
    if (valid.test(clean)) return (sign === '-' ? -1 : 1) * parseInt(clean, radix);
  }
  if (FLOAT.test(text) && /[0-9]/.test(text)) return Number(text.replace(/_/g, ''));
  if (INFINITY.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (NAN.test(text)) return NaN;
  return text;
}

/**
 * The most nodes a document may stand for once its aliases are expanded. Aliases share their value,
 * so composing is cheap, but everything that walks the result pays for every expansion: a few
 * nested anchors (a "billion laughs" document) would stand for billions of queues.
 */
const MAX_EXPANDED_NODES = 2_000_000;
/** Nesting deeper than this is refused by the parser (a 4-level queue tree nests about 12 deep). */
const MAX_DEPTH = 1000;

class Composer {
  private i = 0;
  private readonly anchors = new Map<string, { value: unknown; pos: PosNode; size: number }>();
  /** Nodes composed so far, counting each alias as the size of what it refers to. */
  private expanded = 0;
  private tooLarge = false;
  readonly issues: OffsetIssue[] = [];

  constructor(
    private readonly text: string,
    private readonly events: readonly Event[],
  ) {}

  next(): Event | undefined {
    return this.events[this.i++];
  }

  /** Is the next event the end of the current collection or document? */
  peekEnd(): boolean {
    return this.events[this.i]?.type === EVENT_ID.POP || this.i >= this.events.length;
  }

  /** Compose one node; returns its value and fills `pos`. */
  node(pos: PosNode, path: PathSegment[]): unknown {
    const ev = this.next();
    if (ev === undefined) return null;
    const before = this.expanded++;
    switch (ev.type) {
      case EVENT_ID.SCALAR: {
        // A quoted scalar's text starts after its quote; point at the quote.
        const quoted = ev.style === SCALAR_STYLE.SINGLE_QUOTED || ev.style === SCALAR_STYLE.DOUBLE_QUOTED;
        pos.value = ev.valueStart >= 0 && quoted ? ev.valueStart - 1 : ev.valueStart;
        const value = this.scalar(ev, pos);
        pos.style = STYLE_NAMES[ev.style] ?? 'plain';
        if (ev.indent >= 0) pos.indent = ev.indent;
        this.anchor(ev.anchorStart, ev.anchorEnd, value, pos, 1);
        return value;
      }
      case EVENT_ID.SEQUENCE: {
        pos.value = ev.start;
        const items: unknown[] = [];
        pos.kids = new Map();
        while (!this.peekEnd()) {
          const kid: PosNode = { key: -1, value: -1 };
          pos.kids.set(items.length, kid);
          path.push(items.length);
          items.push(this.node(kid, path));
          path.pop();
        }
        this.i++;
        // Registered once complete: an alias inside its own anchor is an error, as in yaml.v3.
        this.anchor(ev.anchorStart, ev.anchorEnd, items, pos, this.expanded - before);
        return items;
      }
      case EVENT_ID.MAPPING: {
        pos.value = ev.start;
        const own = new Map<string, unknown>();
        const merged = new Map<string, { value: unknown; pos: PosNode | undefined }>();
        const kids = new Map<PathSegment, PosNode>();
        pos.kids = kids;
        const result: Record<string, unknown> = {};
        while (!this.peekEnd()) {
          const keyEvent = this.events[this.i];
          const keyPos: PosNode = { key: -1, value: -1 };
          const keyValue = this.node(keyPos, path);
          const kid: PosNode = { key: keyPos.value, value: -1 };
          const isMerge = keyEvent?.type === EVENT_ID.SCALAR && keyEvent.style === SCALAR_STYLE.PLAIN && keyValue === '<<';
          if (isMerge) {
            const source = this.node(kid, path);
            this.merge(source, kid, merged);
            continue;
          }
          if (keyValue !== null && typeof keyValue === 'object') {
            this.issues.push({ offset: keyPos.value, issue: error('wrong-type', [...path], 'a mapping key must be a plain scalar, not a mapping or sequence') });
            this.node(kid, path);
            continue;
          }
          const key = keyEvent?.type === EVENT_ID.SCALAR ? (keyPos.source ?? keyText(keyValue)) : keyText(keyValue);
          path.push(key);
          const value = this.node(kid, path);
          path.pop();
          if (own.has(key)) {
            this.issues.push({ offset: kid.key, issue: error('yaml-duplicate-key', [...path, key], `the key '${key}' appears twice in this mapping; YuniKorn rejects that too ("already defined")`, true) });
            continue;
          }
          own.set(key, value);
          kids.set(key, kid);
        }
        this.i++;
        // Explicit keys win over merged ones, as the YAML merge key type says.
        for (const [k, m] of merged) {
          if (own.has(k)) continue;
          setOwn(result, k, m.value);
          if (m.pos !== undefined) kids.set(k, m.pos);
        }
        for (const [k, v] of own) setOwn(result, k, v);
        this.anchor(ev.anchorStart, ev.anchorEnd, result, pos, this.expanded - before);
        return result;
      }
      case EVENT_ID.ALIAS: {
        pos.value = Math.max(0, ev.anchorStart - 1);
        const name = this.text.slice(ev.anchorStart, ev.anchorEnd);
        const target = this.anchors.get(name);
        if (target === undefined) {
          this.issues.push({ offset: pos.value, issue: error('yaml-syntax', [...path], `alias *${name} refers to no anchor defined before it`) });
          return null;
        }
        this.expanded += target.size;
        if (this.expanded > MAX_EXPANDED_NODES) {
          if (!this.tooLarge) this.issues.push({ offset: pos.value, issue: error('yaml-syntax', [...path], `aliases expand the document beyond ${MAX_EXPANDED_NODES} nodes; refusing it (an alias bomb?)`) });
          this.tooLarge = true;
          return null;
        }
        if (target.pos.kids !== undefined) pos.kids = target.pos.kids;
        return target.value;
      }
      case EVENT_ID.DOCUMENT:
      case EVENT_ID.POP:
        // Not a node: the stream is out of step, which the parser does not produce for valid input.
        return null;
    }
  }

  private scalar(ev: ScalarEvent, pos: PosNode): unknown {
    const text = ev.valueStart < 0 ? '' : getScalarValue(this.text, ev);
    const tag = ev.tagStart >= 0 ? this.text.slice(ev.tagStart, ev.tagEnd) : '';
    if (tag === '!!str' || tag === '!') return text;
    if (ev.style !== SCALAR_STYLE.PLAIN && tag === '') return text;
    const value = resolvePlain(text);
    if (typeof value === 'number' && String(value) !== text) pos.source = text;
    if (typeof value === 'boolean' && String(value) !== text) pos.source = text;
    return value;
  }

  private anchor(start: number, end: number, value: unknown, pos: PosNode, size: number): void {
    if (start >= 0) this.anchors.set(this.text.slice(start, end), { value, pos, size });
  }

  private merge(source: unknown, pos: PosNode, into: Map<string, { value: unknown; pos: PosNode | undefined }>): void {
    const sources: { s: unknown; p: PosNode | undefined }[] = Array.isArray(source) ? source.map((s: unknown, i) => ({ s, p: pos.kids?.get(i) })) : [{ s: source, p: pos }];
    for (const { s, p } of sources) {
      if (s === null || typeof s !== 'object' || Array.isArray(s)) continue;
      for (const [k, v] of Object.entries(s as Record<string, unknown>)) {
        if (!into.has(k)) into.set(k, { value: v, pos: p?.kids?.get(k) });
      }
    }
  }
}

/** Define a key as an own property, so that a key like `__proto__` is data and never a prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function keyText(v: unknown): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return '';
}

/** Every document of the text; a syntax error anywhere makes the whole text broken. */
export function parseYamlAll(text: string): { readonly documents: readonly ParsedYaml[]; readonly issues: readonly PendingIssue[] } {
  let events: Event[];
  try {
    events = parseEvents(text, { maxDepth: MAX_DEPTH });
  } catch (e) {
    const err = e as { reason?: unknown; message?: unknown; mark?: { position?: number } };
    const reason = typeof err.reason === 'string' ? err.reason : String(err.message);
    const index = new SourceIndex(text, { key: -1, value: -1 });
    return { documents: [], issues: [{ ...error('yaml-syntax', [], reason), pos: index.position(err.mark?.position ?? 0) }] };
  }
  const composer = new Composer(text, events);
  const documents: ParsedYaml[] = [];
  while (composer.next()?.type === EVENT_ID.DOCUMENT) {
    const root: PosNode = { key: -1, value: -1 };
    const index = new SourceIndex(text, root);
    const value = composer.peekEnd() ? null : composer.node(root, []);
    composer.next(); // the document's POP
    const issues = composer.issues.splice(0).map(({ issue, offset }) => ({ ...issue, pos: index.position(Math.max(0, offset)) }));
    const broken = issues.some((i) => i.severity === 'error');
    documents.push({ value: broken ? null : value, index, issues, broken });
  }
  return { documents, issues: [] };
}

/** The first document of the text, as YuniKorn reads it, with a warning if there are more. */
export function parseYaml(text: string): ParsedYaml {
  const all = parseYamlAll(text);
  const first = all.documents[0];
  if (first === undefined) {
    const broken = all.issues.length > 0;
    return { value: null, index: new SourceIndex(text, { key: -1, value: -1 }), issues: all.issues, broken };
  }
  if (all.documents.length === 1) return first;
  const more = warning('yaml-multiple-documents', [], `the text holds ${all.documents.length} YAML documents; only the first is read, as YuniKorn reads it (remove the '---' separators or split the file)`);
  return { ...first, issues: [...first.issues, more] };
}
