/**
 * A file given to `drover validate`: either a queues.yaml, or Kubernetes manifests of which the
 * ConfigMaps carry one under `data["queues.yaml"]` (as a platform team keeps them in git).
 *
 * For a ConfigMap, issues found in the embedded text are moved back to the lines of the file: exactly
 * for a literal block (`queues.yaml: |`), otherwise to the value's start with the inner position
 * named in the message.
 */
import { isMap, isScalar, LineCounter, parseAllDocuments, Scalar } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import type { ConfigIssue } from '../core/config/index.js';

export interface ConfigText {
  /** `queues.yaml`, or `ConfigMap yunikorn-configs` for an embedded one. */
  readonly label: string;
  readonly text: string;
  /** Move an issue's position from the embedded text to the file. */
  readonly mapIssue: (issue: ConfigIssue) => ConfigIssue;
}

export type ConfigFile =
  | { readonly kind: 'queues'; readonly texts: readonly ConfigText[] }
  | { readonly kind: 'configmaps'; readonly texts: readonly ConfigText[]; readonly withoutQueues: readonly string[] };

const KEY = 'queues.yaml';

export function readConfigFile(content: string): ConfigFile {
  const plain: ConfigText = { label: KEY, text: content, mapIssue: (i) => i };
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(content, { lineCounter });
  if (!Array.isArray(parsed)) return { kind: 'queues', texts: [plain] };
  const maps = parsed.filter((d) => d.errors.length === 0 && isConfigMap(d));
  if (maps.length === 0) return { kind: 'queues', texts: [plain] };
  const texts: ConfigText[] = [];
  const withoutQueues: string[] = [];
  for (const doc of maps) {
    const meta = doc.getIn(['metadata', 'name']);
    const name = typeof meta === 'string' ? meta : '(unnamed)';
    const node = doc.getIn(['data', KEY], true);
    if (!isScalar(node) || typeof node.value !== 'string') {
      withoutQueues.push(name);
      continue;
    }
    texts.push({ label: `ConfigMap ${name}`, text: node.value, mapIssue: mapper(node, content, lineCounter) });
  }
  return { kind: 'configmaps', texts, withoutQueues };
}

function isConfigMap(doc: Document.Parsed): boolean {
  return isMap(doc.contents) && doc.get('kind') === 'ConfigMap' && isMap(doc.get('data', true));
}

function mapper(node: Scalar, content: string, lines: LineCounter): (issue: ConfigIssue) => ConfigIssue {
  const range = (node as YamlNode).range;
  if (range === undefined || range === null) return (i) => i;
  const start = lines.linePos(range[0]);
  if (node.type === Scalar.BLOCK_LITERAL) {
    // The content starts on the line after the `|` header, indented by the first content line's indent.
    const afterHeader = content.indexOf('\n', range[0]) + 1;
    const body = content.slice(afterHeader, range[1]);
    const firstContent = body.split('\n').find((l) => l.trim() !== '') ?? '';
    const indent = firstContent.length - firstContent.trimStart().length;
    const firstLine = lines.linePos(afterHeader).line;
    return (i) => (i.line === null ? i : { ...i, line: firstLine + i.line - 1, column: (i.column ?? 1) + indent });
  }
  return (i) =>
    i.line === null
      ? i
      : { ...i, line: start.line, column: start.col, message: `${i.message} [line ${i.line}, column ${i.column ?? 1} of the embedded queues.yaml]` };
}
