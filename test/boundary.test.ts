/**
 * The architecture is mechanical: lint refuses a Kubernetes, express or pino import, or an import of
 * an adapter, in core/, and allows them elsewhere.
 */
import { join } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const cwd = join(import.meta.dirname, '..');
// The rule under test is not type-aware; linting virtual files needs the type-aware parts off.
const eslint = new ESLint({ cwd, overrideConfig: [{ files: ['**/*.ts'], ...tseslint.configs.disableTypeChecked }] });

async function restricted(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: join(cwd, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the core boundary', () => {
  it.each([
    { name: 'client-node', source: "import { KubeConfig } from '@kubernetes/client-node';\nexport const k = KubeConfig;\n" },
    { name: 'express', source: "import express from 'express';\nexport const e = express;\n" },
    { name: 'pino', source: "import pino from 'pino';\nexport const p = pino;\n" },
    { name: 'an adapter', source: "import { x } from '../shim/informer.js';\nexport const y = x;\n" },
  ])('refuses $name in core/', async ({ source }) => {
    expect(await restricted('core/boundary-probe.ts', source)).toHaveLength(1);
  });

  it('allows the same imports outside core/', async () => {
    expect(await restricted('shim/boundary-probe.ts', "import { KubeConfig } from '@kubernetes/client-node';\nexport const k = KubeConfig;\n")).toEqual([]);
  });
});
