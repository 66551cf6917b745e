/**
 * RFC 6902 JSON patches for admission responses. Only `add` is needed: it creates a member or
 * replaces it. The builder writes one operation per label or annotation when the map exists, so that
 * drover never overwrites what another mutating webhook added meanwhile (YuniKorn replaces the whole
 * map), and adds the map, or the first missing object above it, whole when it does not exist: RFC 6902
 * refuses to add a member to an object that is not there.
 */
import { isObject, member } from './object.js';

/** A value a patch writes: a string, or an object of them (a whole map, or nested missing parents). */
export type PatchValue = string | { readonly [key: string]: PatchValue };

export interface JsonPatchOp {
  readonly op: 'add';
  /** An RFC 6901 JSON pointer: `/metadata/labels/yunikorn.apache.org~1app-id`. */
  readonly path: string;
  readonly value: PatchValue;
}

/** Escape one reference token of a JSON pointer: `~` as `~0`, then `/` as `~1` (RFC 6901, section 3). */
export function escapePointerToken(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}

export function pointer(segments: readonly string[]): string {
  return segments.map((s) => `/${escapePointerToken(s)}`).join('');
}

/**
 * Builds a patch against one document, remembering which objects earlier operations of the same patch
 * created, so that a later operation adds into them instead of creating them a second time.
 */
export class PatchBuilder {
  private readonly ops: JsonPatchOp[] = [];
  private readonly created = new Set<string>();

  constructor(private readonly document: unknown) {}

  /** Set one string member, creating missing parent objects; no operation when it already has the value. */
  set(segments: readonly string[], value: string): this {
    if (this.currentString(segments) === value) return this;
    this.add(segments, value);
    return this;
  }

  /**
   * Set entries of a string map (labels, annotations) at `segments`: one operation per entry whose
   * value differs when the map exists, or one operation adding the map (or its first missing parent).
   */
  setEntries(segments: readonly string[], entries: ReadonlyMap<string, string>): this {
    const changed = [...entries].filter(([key, value]) => this.currentString([...segments, key]) !== value);
    if (changed.length === 0) return this;
    if (this.exists(segments)) {
      for (const [key, value] of changed) this.add([...segments, key], value);
    } else {
      this.add(segments, Object.fromEntries(changed));
    }
    return this;
  }

  build(): readonly JsonPatchOp[] {
    return Object.freeze([...this.ops]);
  }

  /** Add a value at `segments`; when a parent object is missing, add the first missing one whole. */
  private add(segments: readonly string[], value: PatchValue): void {
    let depth = 1;
    while (depth < segments.length && this.exists(segments.slice(0, depth))) depth++;
    const at = segments.slice(0, depth);
    const nested = segments.slice(depth).reduceRight<PatchValue>((inner, key) => ({ [key]: inner }), value);
    this.ops.push(Object.freeze({ op: 'add', path: pointer(at), value: nested }));
    // every object this operation brings into being can be added into by later operations
    let created: PatchValue = nested;
    for (let i = depth; isObject(created); i++) {
      this.created.add(pointer(segments.slice(0, i)));
      const key = segments[i];
      const next = key === undefined ? undefined : member(created, key);
      if (!isPatchValue(next)) break;
      created = next;
    }
  }

  /** Is there an object at `segments`, in the document or created by this patch? (null is no object) */
  private exists(segments: readonly string[]): boolean {
    if (this.created.has(pointer(segments))) return true;
    return isObject(this.documentAt(segments));
  }

  private currentString(segments: readonly string[]): string | undefined {
    const parent = segments.slice(0, -1);
    if (this.created.has(pointer(parent))) return undefined;
    const value = this.documentAt(segments);
    return typeof value === 'string' ? value : undefined;
  }

  private documentAt(segments: readonly string[]): unknown {
    let cursor: unknown = this.document;
    for (const segment of segments) cursor = member(cursor, segment);
    return cursor;
  }
}

function isPatchValue(value: unknown): value is PatchValue {
  return typeof value === 'string' || isObject(value);
}
