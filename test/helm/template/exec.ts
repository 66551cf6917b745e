/**
 * Executes parsed templates as Go's text/template does, for the subset: dot and `$`, variables scoped
 * to their control structure, field chains (a missing map key is nil; a field of nil, or a missing
 * field of a struct, is an error), methods of structs (`.Files.Get`), pipelines (the previous value is
 * the last argument), `and`/`or` short-circuiting and returning an operand, `range` over lists and over
 * maps in key order. Errors carry the file and line of the action.
 */
import { TemplateError } from './lex.js';
import type { Command, Node, Operand, ParsedTemplate, Pipeline } from './parse.js';
import { FUNCTIONS } from './functions.js';
import type { FunctionContext } from './functions.js';
import { goType, isMap, printValue, structType, truth } from './values.js';

/** Helm stops runaway `include` recursion at this depth. */
const MAX_DEPTH = 1000;

export class TemplateSet {
  private readonly defines = new Map<string, { readonly file: string; readonly body: readonly Node[] }>();

  constructor(templates: readonly ParsedTemplate[]) {
    for (const t of templates) for (const [name, d] of t.defines) this.defines.set(name, d);
  }

  /** Render a parsed file's top level with `data` as dot and `$`. */
  render(t: ParsedTemplate, data: unknown): string {
    return new Execution(this, data, 0).run(t.file, t.root, data);
  }

  /** Render a named template (`include`, `template`). */
  renderNamed(name: string, data: unknown, depth: number, from: { file: string; line: number }): string {
    const d = this.defines.get(name);
    if (d === undefined) throw new TemplateError(from.file, from.line, `no template "${name}" associated with template`);
    if (depth > MAX_DEPTH) throw new TemplateError(from.file, from.line, `rendering template has a nested reference name: ${name}`);
    return new Execution(this, data, depth).run(d.file, d.body, data);
  }
}

class Execution {
  private readonly scopes: Map<string, unknown>[] = [];
  private file = '';
  private line = 0;

  constructor(
    private readonly set: TemplateSet,
    root: unknown,
    private readonly depth: number,
  ) {
    this.scopes.push(new Map([['$', root]]));
  }

  run(file: string, nodes: readonly Node[], dot: unknown): string {
    this.file = file;
    const out: string[] = [];
    this.walk(nodes, dot, out);
    return out.join('');
  }

  private fail(what: string): never {
    throw new TemplateError(this.file, this.line, what);
  }

  private walk(nodes: readonly Node[], dot: unknown, out: string[]): void {
    for (const n of nodes) {
      if (n.kind === 'text') {
        out.push(n.text);
        continue;
      }
      this.line = n.line;
      switch (n.kind) {
        case 'action': {
          const v = this.pipeline(n.pipe, dot);
          if (n.pipe.vars.length === 0) out.push(this.print(v));
          break;
        }
        case 'if':
          this.scoped(() => {
            const branch = n.branches.find((b) => truth(this.pipeline(b.cond, dot)));
            this.walk(branch?.body ?? n.otherwise, dot, out);
          });
          break;
        case 'with':
          this.scoped(() => {
            const v = this.pipeline(n.pipe, dot);
            this.walk(truth(v) ? n.body : n.otherwise, truth(v) ? v : dot, out);
          });
          break;
        case 'range':
          this.scoped(() => this.range(n, dot, out));
          break;
        case 'template': {
          const data = n.pipe === null ? null : this.pipeline(n.pipe, dot);
          out.push(this.set.renderNamed(n.name, data, this.depth + 1, { file: this.file, line: n.line }));
          break;
        }
      }
    }
  }

  private range(n: Extract<Node, { kind: 'range' }>, dot: unknown, out: string[]): void {
    const vars = n.pipe.vars;
    const value = this.pipeline({ ...n.pipe, vars: [] }, dot);
    let entries: [unknown, unknown][];
    if (Array.isArray(value)) entries = value.map((v, i) => [BigInt(i), v]);
    else if (isMap(value)) entries = Object.keys(value).sort().map((k) => [k, value[k]]);
    else if (value === null || value === undefined) entries = [];
    else return this.fail(`range can't iterate over ${goType(value)}`);
    if (entries.length === 0) {
      this.walk(n.otherwise, dot, out);
      return;
    }
    if (vars.length > 2) this.fail('too many declarations in range');
    for (const [key, v] of entries) {
      this.scoped(() => {
        const scope = this.scopes.at(-1);
        if (vars.length === 1 && vars[0] !== undefined) scope?.set(vars[0], v);
        if (vars.length === 2 && vars[0] !== undefined && vars[1] !== undefined) {
          scope?.set(vars[0], key);
          scope?.set(vars[1], v);
        }
        this.walk(n.body, v, out);
      });
    }
  }

  private scoped<T>(f: () => T): T {
    this.scopes.push(new Map());
    try {
      return f();
    } finally {
      this.scopes.pop();
    }
  }

  private print(v: unknown): string {
    try {
      return printValue(v);
    } catch (e) {
      return this.fail(e instanceof Error ? e.message : String(e));
    }
  }

  private pipeline(p: Pipeline, dot: unknown): unknown {
    let value: unknown = undefined;
    let piped = false;
    for (const c of p.commands) {
      value = this.command(c, dot, piped ? { value } : null);
      piped = true;
    }
    if (p.vars.length > 1) this.fail('too many declarations');
    const name = p.vars[0];
    if (name !== undefined) {
      if (p.assign) {
        const scope = [...this.scopes].reverse().find((s) => s.has(name));
        if (scope === undefined) this.fail(`undefined variable: ${name}`);
        scope?.set(name, value);
      } else this.scopes.at(-1)?.set(name, value);
    }
    return value;
  }

  private command(c: Command, dot: unknown, piped: { value: unknown } | null): unknown {
    const [head, ...rest] = c;
    if (head === undefined) return this.fail('empty command');
    if (head.kind === 'ident') return this.call(head.name, rest, dot, piped);
    const args = () => [...rest.map((a) => this.operand(a, dot)), ...(piped === null ? [] : [piped.value])];
    // A field chain ending in a method: `.Files.Get "queues.yaml"`.
    if ((head.kind === 'field' || head.kind === 'var') && head.path.length > 0) {
      const receiver = this.operand({ ...head, path: head.path.slice(0, -1) }, dot);
      const last = head.path.at(-1) ?? '';
      const member = this.field(receiver, last);
      if (typeof member === 'function') return this.invoke(last, member as (...a: unknown[]) => unknown, args());
      if (rest.length > 0 || piped !== null) this.fail(`can't give argument to non-function ${last}`);
      return member;
    }
    if (rest.length > 0 || piped !== null) this.fail(`can't give argument to non-function`);
    return this.operand(head, dot);
  }

  private invoke(name: string, f: (...a: unknown[]) => unknown, args: unknown[]): unknown {
    try {
      return f(...args);
    } catch (e) {
      return this.fail(`error calling ${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private call(name: string, rest: readonly Operand[], dot: unknown, piped: { value: unknown } | null): unknown {
    if (name === 'and' || name === 'or') {
      const thunks: (() => unknown)[] = [...rest.map((a) => () => this.operand(a, dot)), ...(piped === null ? [] : [() => piped.value])];
      if (thunks.length === 0) this.fail(`wrong number of args for ${name}: want at least 1 got 0`);
      let v: unknown;
      for (const t of thunks) {
        v = t();
        if (name === 'and' ? !truth(v) : truth(v)) return v;
      }
      return v;
    }
    const spec = FUNCTIONS[name];
    if (spec === undefined) return this.fail(`function "${name}" not defined (outside the subset)`);
    const args = [...rest.map((a) => this.operand(a, dot)), ...(piped === null ? [] : [piped.value])];
    if (args.length < spec.min || args.length > spec.max) this.fail(`wrong number of args for ${name}: want ${spec.min === spec.max ? spec.min : `${spec.min}..${spec.max}`} got ${args.length}`);
    const ctx: FunctionContext = { include: (n, data) => this.set.renderNamed(n, data, this.depth + 1, { file: this.file, line: this.line }) };
    try {
      return spec.fn(args, ctx);
    } catch (e) {
      if (e instanceof TemplateError) throw e;
      return this.fail(`error calling ${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private operand(o: Operand, dot: unknown): unknown {
    switch (o.kind) {
      case 'dot':
        return dot;
      case 'literal':
        return o.value;
      case 'ident':
        return this.call(o.name, [], dot, null);
      case 'field':
        return this.chain(dot, o.path);
      case 'var': {
        const scope = [...this.scopes].reverse().find((s) => s.has(o.name));
        if (scope === undefined) return this.fail(`undefined variable: ${o.name}`);
        return this.chain(scope.get(o.name), o.path);
      }
      case 'paren':
        return this.chain(this.scoped(() => this.pipeline(o.pipe, dot)), o.path);
    }
  }

  private chain(v: unknown, path: readonly string[]): unknown {
    let cur = v;
    for (const name of path) cur = this.field(cur, name);
    return cur;
  }

  private field(v: unknown, name: string): unknown {
    if (v === null || v === undefined) return this.fail(`nil pointer evaluating interface {}.${name}`);
    const type = structType(v);
    if (type !== undefined) {
      if (!Object.hasOwn(v, name)) this.fail(`can't evaluate field ${name} in type ${type}`);
      return (v as Record<string, unknown>)[name];
    }
    if (isMap(v)) return Object.hasOwn(v, name) ? v[name] : undefined;
    return this.fail(`can't evaluate field ${name} in type ${goType(v)}`);
  }
}
