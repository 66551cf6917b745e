/**
 * The parser of the Go-template subset: text, actions with pipelines, `if`/`else if`/`else`, `range`
 * (lists and maps, with `$i, $v :=`), `with`/`else`, `define` (top level only, as in Go) and
 * `template`. Anything else Go has (`block`, `break`, `continue`, `else with`) is refused with its
 * line, so the chart cannot drift outside what the renderer implements.
 */
import { lex, TemplateError } from './lex.js';
import type { Item, Token } from './lex.js';

export type Operand =
  | { readonly kind: 'field'; readonly path: readonly string[] }
  | { readonly kind: 'var'; readonly name: string; readonly path: readonly string[] }
  | { readonly kind: 'dot' }
  | { readonly kind: 'ident'; readonly name: string }
  | { readonly kind: 'literal'; readonly value: string | number | bigint | boolean | null }
  | { readonly kind: 'paren'; readonly pipe: Pipeline; readonly path: readonly string[] };

export type Command = readonly Operand[];

export interface Pipeline {
  /** Variables declared (`:=`) or assigned (`=`) by this pipeline. */
  readonly vars: readonly string[];
  readonly assign: boolean;
  readonly commands: readonly Command[];
}

export type Node =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'action'; readonly line: number; readonly pipe: Pipeline }
  | { readonly kind: 'if'; readonly line: number; readonly branches: readonly { readonly cond: Pipeline; readonly body: readonly Node[] }[]; readonly otherwise: readonly Node[] }
  | { readonly kind: 'range'; readonly line: number; readonly pipe: Pipeline; readonly body: readonly Node[]; readonly otherwise: readonly Node[] }
  | { readonly kind: 'with'; readonly line: number; readonly pipe: Pipeline; readonly body: readonly Node[]; readonly otherwise: readonly Node[] }
  | { readonly kind: 'template'; readonly line: number; readonly name: string; readonly pipe: Pipeline | null };

export interface ParsedTemplate {
  readonly file: string;
  readonly root: readonly Node[];
  readonly defines: ReadonlyMap<string, { readonly file: string; readonly body: readonly Node[] }>;
}

const KEYWORDS = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue']);

export function parseTemplate(file: string, src: string): ParsedTemplate {
  const items = lex(file, src);
  const defines = new Map<string, { file: string; body: Node[] }>();
  let pos = 0;
  const fail = (line: number, what: string): never => {
    throw new TemplateError(file, line, what);
  };

  const keyword = (item: Item): string | null => {
    if (item.kind !== 'action') return null;
    const first = item.tokens[0];
    return first?.kind === 'ident' && KEYWORDS.has(first.name) ? first.name : null;
  };

  /** Nodes up to one of `stops`; returns the stopping action (null at the end of the input). */
  const parseList = (stops: readonly string[], topLevel: boolean): { nodes: Node[]; stop: Extract<Item, { kind: 'action' }> | null } => {
    const nodes: Node[] = [];
    while (pos < items.length) {
      const item = items[pos++];
      if (item === undefined) break;
      if (item.kind === 'text') {
        nodes.push({ kind: 'text', text: item.text });
        continue;
      }
      const kw = keyword(item);
      const rest = item.tokens.slice(1);
      switch (kw) {
        case null:
          nodes.push({ kind: 'action', line: item.line, pipe: parsePipeline(item.tokens, item.line) });
          break;
        case 'end':
        case 'else':
          if (!stops.includes(kw)) fail(item.line, `unexpected {{${kw}}}`);
          return { nodes, stop: item };
        case 'if':
          nodes.push(parseIf(rest, item.line));
          break;
        case 'range':
        case 'with': {
          const pipe = parsePipeline(rest, item.line);
          const body = parseList(['else', 'end'], false);
          let otherwise: Node[] = [];
          const stop = expectEnd(body, item.line, kw, true).stop;
          if (stop !== null && keyword(stop) === 'else') {
            if (stop.tokens.length !== 1) fail(stop.line, `"else ${describe(stop.tokens[1])}" is outside the subset`);
            otherwise = expectEnd(parseList(['end'], false), item.line, kw).nodes;
          }
          nodes.push({ kind: kw, line: item.line, pipe, body: body.nodes, otherwise });
          break;
        }
        case 'define': {
          if (!topLevel) fail(item.line, 'define is allowed at the top level only');
          const name = stringArg(rest, item.line, 'define');
          if (rest.length !== 1) fail(item.line, 'define takes one name');
          defines.set(name, { file, body: expectEnd(parseList(['end'], false), item.line, 'define').nodes });
          break;
        }
        case 'template': {
          const name = stringArg(rest, item.line, 'template');
          nodes.push({ kind: 'template', line: item.line, name, pipe: rest.length > 1 ? parsePipeline(rest.slice(1), item.line) : null });
          break;
        }
        default:
          fail(item.line, `{{${kw}}} is outside the subset`);
      }
    }
    return { nodes, stop: null };
  };

  /** The list must have stopped (unclosed otherwise); a stopping `end` takes no arguments. */
  const expectEnd = (r: { nodes: Node[]; stop: Extract<Item, { kind: 'action' }> | null }, line: number, what: string, elseAllowed = false) => {
    if (r.stop === null) return fail(line, `unclosed ${what}`);
    if (keyword(r.stop) === 'else' && !elseAllowed) return fail(r.stop.line, `unexpected {{else}} in ${what}`);
    if (keyword(r.stop) === 'end' && r.stop.tokens.length !== 1) fail(r.stop.line, 'end takes no arguments');
    return r;
  };

  const parseIf = (condTokens: readonly Token[], line: number): Node => {
    const branches: { cond: Pipeline; body: Node[] }[] = [];
    let cond = parsePipeline(condTokens, line);
    for (;;) {
      const body = parseList(['else', 'end'], false);
      branches.push({ cond, body: body.nodes });
      if (body.stop === null) return fail(line, 'unclosed if');
      if (keyword(body.stop) === 'end') return { kind: 'if', line, branches, otherwise: [] };
      const after = body.stop.tokens.slice(1);
      if (after.length === 0) {
        const otherwise = expectEnd(parseList(['end'], false), line, 'if').nodes;
        return { kind: 'if', line, branches, otherwise };
      }
      const head = after[0];
      if (head?.kind !== 'ident' || head.name !== 'if') return fail(body.stop.line, `"else ${describe(head)}" is outside the subset`);
      cond = parsePipeline(after.slice(1), body.stop.line);
    }
  };

  const stringArg = (tokens: readonly Token[], line: number, what: string): string => {
    const t = tokens[0];
    if (t?.kind !== 'literal' || typeof t.value !== 'string') return fail(line, `${what} needs a quoted name`);
    return t.value;
  };

  const parsePipeline = (tokens: readonly Token[], line: number): Pipeline => parsePipe(file, line, tokens);

  const root = parseList([], true);
  return { file, root: root.nodes, defines };
}

function describe(t: Token | undefined): string {
  if (t === undefined) return '';
  return t.kind === 'ident' ? t.name : t.kind;
}

function parsePipe(file: string, line: number, tokens: readonly Token[]): Pipeline {
  const fail = (what: string): never => {
    throw new TemplateError(file, line, what);
  };
  let k = 0;
  const vars: string[] = [];
  let assign = false;
  // Declarations: `$x :=`, `$k, $v :=`, `$x =`.
  const decl = tokens.findIndex((t) => t.kind === 'punct' && (t.text === ':=' || t.text === '='));
  if (decl > 0) {
    for (const t of tokens.slice(0, decl)) {
      if (t.kind === 'var' && t.path.length === 0) vars.push(t.name);
      else if (!(t.kind === 'punct' && t.text === ',')) fail('bad variable declaration');
    }
    const op = tokens[decl];
    assign = op?.kind === 'punct' && op.text === '=';
    k = decl + 1;
  }
  const commands: Command[] = [];
  let current: Operand[] = [];
  while (k < tokens.length) {
    const t = tokens[k++];
    if (t === undefined) break;
    if (t.kind === 'punct' && t.text === '|') {
      if (current.length === 0) fail('missing command before |');
      commands.push(current);
      current = [];
      continue;
    }
    if (t.kind === 'punct' && t.text === '(') {
      let depth = 1;
      const start = k;
      while (k < tokens.length && depth > 0) {
        const u = tokens[k++];
        if (u?.kind === 'punct' && u.text === '(') depth++;
        if (u?.kind === 'punct' && u.text === ')') depth--;
      }
      if (depth !== 0) fail('unclosed left paren');
      const inner = parsePipe(file, line, tokens.slice(start, k - 1));
      const next = tokens[k];
      const path = next?.kind === 'field' && !next.spaced ? (k++, next.path) : [];
      current.push({ kind: 'paren', pipe: inner, path });
      continue;
    }
    switch (t.kind) {
      case 'field':
        current.push({ kind: 'field', path: t.path });
        break;
      case 'var':
        current.push({ kind: 'var', name: t.name, path: t.path });
        break;
      case 'dot':
        current.push({ kind: 'dot' });
        break;
      case 'ident':
        current.push({ kind: 'ident', name: t.name });
        break;
      case 'literal':
        current.push({ kind: 'literal', value: t.value });
        break;
      case 'punct':
        fail(`unexpected "${t.text}" in operand`);
    }
  }
  if (current.length > 0) commands.push(current);
  if (commands.length === 0) fail('missing value for command');
  return { vars, assign, commands };
}
