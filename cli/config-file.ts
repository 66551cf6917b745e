/**
 * A file given to `drover validate`: either a queues.yaml, or Kubernetes manifests of which the
 * ConfigMaps carry one under `data["queues.yaml"]` (as a platform team keeps them in git).
 *
 * For a ConfigMap, issues found in the embedded text are moved back to the lines of the file: exactly
 * for a literal block (`queues.yaml: |`), otherwise to the value's start with the inner position
 * named in the message.
 */
import type { ConfigIssue } from '../core/config/index.js';
import { parseYamlAll } from '../core/config/yaml-source.js';
import type { SourceIndex } from '../core/config/yaml-source.js';

export interface ConfigText {
  /** `queues.yaml`, or `ConfigMap drover-configs` for an embedded one. */
  readonly label: string;
  readonly text: string;
  /** Move an issue's position from the embedded text to the file. */
  readonly mapIssue: (issue: ConfigIssue) => ConfigIssue;
}

export type ConfigFile =
  | { readonly kind: 'queues'; readonly texts: readonly ConfigText[] }
  | { readonly kind: 'configmaps'; readonly texts: readonly ConfigText[]; readonly withoutQueues: readonly string[] };

const KEY = 'queues.yaml';

type Obj = Readonly<Record<string, unknown>>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

export function readConfigFile(content: string): ConfigFile {
  const plain: ConfigText = { label: KEY, text: content, mapIssue: (i) => i };
  const docs = parseYamlAll(content).documents.filter((d) => !d.broken && isObj(d.value) && d.value.kind === 'ConfigMap' && isObj(d.value.data));
  if (docs.length === 0) return { kind: 'queues', texts: [plain] };
  const texts: ConfigText[] = [];
  const withoutQueues: string[] = [];
  for (const doc of docs) {
    const cm = doc.value as Obj;
    const meta = isObj(cm.metadata) ? cm.metadata : {};
    const name = typeof meta.name === 'string' ? meta.name : '(unnamed)';
    const data = cm.data as Obj;
    const text = data[KEY];
    if (typeof text !== 'string') {
      withoutQueues.push(name);
      continue;
    }
    texts.push({ label: `ConfigMap ${name}`, text, mapIssue: mapper(doc.index) });
  }
  return { kind: 'configmaps', texts, withoutQueues };
}

function mapper(index: SourceIndex): (issue: ConfigIssue) => ConfigIssue {
  const scalar = index.scalar(['data', KEY]);
  if (scalar === undefined || scalar.offset < 0) return (i) => i;
  const start = index.position(scalar.offset);
  if (scalar.style === 'literal') {
    // The block's text starts at `offset` (the first content line), indented by `indent`.
    return (i) => (i.line === null ? i : { ...i, line: start.line + i.line - 1, column: (i.column ?? 1) + scalar.indent });
  }
  return (i) =>
    i.line === null
      ? i
      : { ...i, line: start.line, column: start.column, message: `${i.message} [line ${i.line}, column ${i.column ?? 1} of the embedded queues.yaml]` };
}
