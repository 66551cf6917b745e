/**
 * A file given to `drover validate`: either a queues.yaml, or Kubernetes manifests of which the
 * ConfigMaps carry one under `data["queues.yaml"]` (as a platform team keeps them in git, or as
 * `kubectl get configmap -o yaml` prints them, in a List).
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

interface Found {
  readonly configMap: Obj;
  readonly index: SourceIndex;
  /** Where the ConfigMap is in its document: [] or ['items', i]. */
  readonly at: readonly (string | number)[];
}

const isConfigMap = (v: unknown): v is Obj => isObj(v) && v.kind === 'ConfigMap' && isObj(v.data);

export function readConfigFile(content: string): ConfigFile {
  const plain: ConfigText = { label: KEY, text: content, mapIssue: (i) => i };
  const found: Found[] = [];
  for (const doc of parseYamlAll(content).documents) {
    if (doc.broken) continue;
    const v = doc.value;
    if (isConfigMap(v)) found.push({ configMap: v, index: doc.index, at: [] });
    else if (isObj(v) && Array.isArray(v.items) && typeof v.kind === 'string' && v.kind.endsWith('List')) {
      v.items.forEach((item: unknown, i) => {
        if (isConfigMap(item)) found.push({ configMap: item, index: doc.index, at: ['items', i] });
      });
    }
  }
  if (found.length === 0) return { kind: 'queues', texts: [plain] };
  const texts: ConfigText[] = [];
  const withoutQueues: string[] = [];
  for (const { configMap, index, at } of found) {
    const meta = isObj(configMap.metadata) ? configMap.metadata : {};
    const name = typeof meta.name === 'string' ? meta.name : '(unnamed)';
    const text = (configMap.data as Obj)[KEY];
    if (typeof text !== 'string') {
      withoutQueues.push(name);
      continue;
    }
    texts.push({ label: `ConfigMap ${name}`, text, mapIssue: mapper(index, [...at, 'data', KEY]) });
  }
  return { kind: 'configmaps', texts, withoutQueues };
}

function mapper(index: SourceIndex, path: readonly (string | number)[]): (issue: ConfigIssue) => ConfigIssue {
  const scalar = index.scalar(path);
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
