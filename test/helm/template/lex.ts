/**
 * The lexer of the Go-template subset the chart uses (helm/README.md lists it): a template is cut into
 * text and actions (`{{ ... }}`), each action into tokens. Trim markers (`{{- ` and ` -}}`) are applied
 * here, as Go applies them: all whitespace (space, tab, CR, LF) next to the marker goes. Comments
 * (`{{/* ... *\/}}`) vanish, keeping their trim markers' effect.
 */

export class TemplateError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly detail: string,
  ) {
    super(`${file}:${line}: ${detail}`);
  }
}

export type Token =
  | { readonly kind: 'field'; readonly path: readonly string[]; readonly spaced: boolean }
  | { readonly kind: 'var'; readonly name: string; readonly path: readonly string[]; readonly spaced: boolean }
  | { readonly kind: 'dot'; readonly spaced: boolean }
  | { readonly kind: 'ident'; readonly name: string; readonly spaced: boolean }
  | { readonly kind: 'literal'; readonly value: string | number | bigint | boolean | null; readonly spaced: boolean }
  | { readonly kind: 'punct'; readonly text: '(' | ')' | '|' | ',' | ':=' | '='; readonly spaced: boolean };

export type Item =
  | { readonly kind: 'text'; readonly text: string; readonly line: number }
  | { readonly kind: 'action'; readonly tokens: readonly Token[]; readonly line: number };

const SPACE = /[ \t\r\n]/;
const IDENT_START = /[A-Za-z_]/;
const IDENT = /[A-Za-z0-9_]/;
const NUMBER = /^[+-]?(0[xX][0-9a-fA-F_]+|[0-9][0-9_]*(\.[0-9_]*)?([eE][+-]?[0-9]+)?|\.[0-9]+([eE][+-]?[0-9]+)?)/;

const isSpace = (c: string | undefined): boolean => c !== undefined && SPACE.test(c);

/** Cut `src` into text and actions, with trim markers applied and comments removed. */
export function lex(file: string, src: string): Item[] {
  const raw: { item: Item | null; trimLeft: boolean; trimRight: boolean }[] = [];
  let i = 0;
  let line = 1;
  const lineAt = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (src[k] === '\n') line++;
  };
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    const textEnd = open < 0 ? src.length : open;
    if (textEnd > i) raw.push({ item: { kind: 'text', text: src.slice(i, textEnd), line }, trimLeft: false, trimRight: false });
    lineAt(i, textEnd);
    if (open < 0) break;
    const actionLine = line;
    let j = open + 2;
    let trimLeft = false;
    if (src[j] === '-' && isSpace(src[j + 1])) {
      trimLeft = true;
      j++;
    }
    while (isSpace(src[j])) j++;
    let tokens: Token[] | null = null;
    let end: number;
    let trimRight: boolean;
    if (src.startsWith('/*', j)) {
      const close = src.indexOf('*/', j + 2);
      if (close < 0) throw new TemplateError(file, actionLine, 'unclosed comment');
      j = close + 2;
      const rest = /^([ \t\r\n]+-)?}}/.exec(src.slice(j));
      if (rest === null) throw new TemplateError(file, actionLine, 'comment ends before closing delimiter');
      trimRight = rest[1] !== undefined;
      end = j + rest[0].length;
    } else {
      const scanned = tokenize(file, actionLine, src, j);
      tokens = scanned.tokens;
      trimRight = scanned.trimRight;
      end = scanned.end;
    }
    lineAt(open, end);
    raw.push({ item: tokens === null ? null : { kind: 'action', tokens, line: actionLine }, trimLeft, trimRight });
    i = end;
  }
  // Trim markers eat the whitespace of the neighbouring text.
  for (let k = 0; k < raw.length; k++) {
    const r = raw[k];
    if (r === undefined || r.item?.kind === 'text') continue;
    const before = raw[k - 1];
    const after = raw[k + 1];
    if (r.trimLeft && before?.item?.kind === 'text') before.item = { ...before.item, text: before.item.text.replace(/[ \t\r\n]+$/, '') };
    if (r.trimRight && after?.item?.kind === 'text') {
      const text = after.item.text;
      const trimmed = text.replace(/^[ \t\r\n]+/, '');
      after.item = { ...after.item, text: trimmed, line: after.item.line + countNewlines(text.slice(0, text.length - trimmed.length)) };
    }
  }
  return raw.flatMap((r) => (r.item === null || (r.item.kind === 'text' && r.item.text === '') ? [] : [r.item]));
}

function countNewlines(s: string): number {
  let n = 0;
  for (const c of s) if (c === '\n') n++;
  return n;
}

function tokenize(file: string, line: number, src: string, start: number): { tokens: Token[]; end: number; trimRight: boolean } {
  const tokens: Token[] = [];
  let j = start;
  let spaced = true;
  const fail = (what: string): never => {
    throw new TemplateError(file, line, what);
  };
  const chain = (): string[] => {
    const path: string[] = [];
    while (src[j] === '.' && IDENT_START.test(src[j + 1] ?? '')) {
      let k = j + 1;
      while (IDENT.test(src[k] ?? '')) k++;
      path.push(src.slice(j + 1, k));
      j = k;
    }
    return path;
  };
  for (;;) {
    if (j >= src.length) fail('unclosed action');
    const c = src[j] ?? '';
    if (isSpace(c)) {
      while (isSpace(src[j])) j++;
      spaced = true;
      if (src.startsWith('-}}', j)) return { tokens, end: j + 3, trimRight: true };
      continue;
    }
    if (src.startsWith('}}', j)) return { tokens, end: j + 2, trimRight: false };
    if (c === '"') {
      const { value, end } = readQuoted(src, j, () => fail('unterminated quoted string'));
      tokens.push({ kind: 'literal', value, spaced });
      j = end;
    } else if (c === '`') {
      const close = src.indexOf('`', j + 1);
      if (close < 0) fail('unterminated raw string');
      tokens.push({ kind: 'literal', value: src.slice(j + 1, close), spaced });
      j = close + 1;
    } else if (c === '$') {
      let k = j + 1;
      while (IDENT.test(src[k] ?? '')) k++;
      const name = src.slice(j, k);
      j = k;
      tokens.push({ kind: 'var', name, path: chain(), spaced });
    } else if (c === '.' && IDENT_START.test(src[j + 1] ?? '')) {
      tokens.push({ kind: 'field', path: chain(), spaced });
    } else if (c === '.' && !/[0-9]/.test(src[j + 1] ?? '')) {
      tokens.push({ kind: 'dot', spaced });
      j++;
    } else if (c === ':' && src[j + 1] === '=') {
      tokens.push({ kind: 'punct', text: ':=', spaced });
      j += 2;
    } else if (c === '(' || c === ')' || c === '|' || c === ',' || c === '=') {
      tokens.push({ kind: 'punct', text: c, spaced });
      j++;
    } else if (/[0-9+.-]/.test(c)) {
      const m = NUMBER.exec(src.slice(j));
      if (m === null) fail(`unexpected "${c}" in action`);
      const text = (m?.[0] ?? '').replaceAll('_', '');
      tokens.push({ kind: 'literal', value: /^[+-]?(0[xX][0-9a-fA-F]+|[0-9]+)$/.test(text) ? BigInt(text.replace(/^\+/, '')) : Number(text), spaced });
      j += m?.[0].length ?? 0;
    } else if (IDENT_START.test(c)) {
      let k = j;
      while (IDENT.test(src[k] ?? '')) k++;
      const name = src.slice(j, k);
      j = k;
      if (name === 'true' || name === 'false') tokens.push({ kind: 'literal', value: name === 'true', spaced });
      else if (name === 'nil') tokens.push({ kind: 'literal', value: null, spaced });
      else tokens.push({ kind: 'ident', name, spaced });
    } else {
      fail(`unexpected "${c}" in action`);
    }
    spaced = false;
  }
}

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", a: '\x07', b: '\b', f: '\f', v: '\v' };

/** A Go interpreted string literal starting at `start` (the opening quote). */
function readQuoted(src: string, start: number, fail: () => never): { value: string; end: number } {
  let out = '';
  let j = start + 1;
  for (;;) {
    const c = src[j];
    if (c === undefined || c === '\n') return fail();
    if (c === '"') return { value: out, end: j + 1 };
    if (c !== '\\') {
      out += c;
      j++;
      continue;
    }
    const e = src[j + 1] ?? '';
    const simple = ESCAPES[e];
    if (simple !== undefined) {
      out += simple;
      j += 2;
      continue;
    }
    const hex = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    if (hex > 0 && /^[0-9a-fA-F]+$/.test(src.slice(j + 2, j + 2 + hex)) && src.slice(j + 2, j + 2 + hex).length === hex) {
      out += String.fromCodePoint(parseInt(src.slice(j + 2, j + 2 + hex), 16));
      j += 2 + hex;
      continue;
    }
    if (/^[0-7]{3}$/.test(src.slice(j + 1, j + 4))) {
      out += String.fromCharCode(parseInt(src.slice(j + 1, j + 4), 8));
      j += 4;
      continue;
    }
    return fail();
  }
}
