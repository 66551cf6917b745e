/**
 * The Dockerfile, without a Docker engine (none on these machines): parsed and checked for what issue
 * 8 asks of the image (multi-stage, numeric non-root user, `npm ci` and never `npm install`, only
 * production dependencies, the entrypoint), that everything the runtime stage copies is there after
 * `npm run build` (which `npm test` runs first), and that .dockerignore keeps what the build needs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

interface Instruction {
  readonly op: string;
  readonly args: string;
}
interface Stage {
  readonly from: string;
  readonly name: string | null;
  readonly instructions: readonly Instruction[];
}

/** Instructions by stage: continuation lines joined, comments dropped, ARG defaults substituted in FROM. */
function parseDockerfile(text: string): Stage[] {
  const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  const args = new Map<string, string>();
  const stages: { from: string; name: string | null; instructions: Instruction[] }[] = [];
  for (const line of lines) {
    const m = /^(\S+)\s*(.*)$/.exec(line);
    const op = (m?.[1] ?? '').toUpperCase();
    const rest = m?.[2] ?? '';
    if (op === 'ARG' && stages.length === 0) {
      const [k, v] = rest.split('=');
      if (k !== undefined && v !== undefined) args.set(k.trim(), v.trim());
      continue;
    }
    if (op === 'FROM') {
      const f = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest);
      const image = (f?.[1] ?? '').replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string | undefined, b: string | undefined) => args.get(a ?? b ?? '') ?? '');
      stages.push({ from: image, name: f?.[2] ?? null, instructions: [] });
      continue;
    }
    stages.at(-1)?.instructions.push({ op, args: rest });
  }
  return stages;
}

const dockerfile = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
const build = dockerfile[0];
const runtime = dockerfile.at(-1);
const all = (stage: Stage | undefined, op: string) => (stage?.instructions ?? []).filter((i) => i.op === op);

describe('the Dockerfile', () => {
  it('builds in one stage and runs from another, both on Node 20', () => {
    expect(dockerfile.length).toBeGreaterThanOrEqual(2);
    expect(build?.name).toBe('build');
    expect(build?.from).toBe('node:20-bookworm-slim');
    expect(runtime?.from).toMatch(/^(node:20-bookworm-slim|gcr\.io\/distroless\/nodejs20-debian12(:nonroot)?)$/);
  });

  it('installs with npm ci from the lockfile, never npm install, and prunes the dev dependencies', () => {
    const runs = dockerfile.flatMap((s) => all(s, 'RUN').map((r) => r.args));
    expect(runs.filter((r) => /\bnpm\s+(install|i|add)\b/.test(r))).toEqual([]);
    const steps = all(build, 'RUN').map((r) => r.args).join(' && ');
    const order = ['npm ci', 'npm run build', 'npm prune --omit=dev'].map((s) => steps.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(all(build, 'COPY')[0]?.args).toBe('package.json package-lock.json ./');
  });

  it('npm ci --ignore-scripts loses nothing: no production dependency has an install script', () => {
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; hasInstallScript?: boolean }> };
    const scripted = Object.entries(lock.packages).filter(([path, p]) => path !== '' && p.dev !== true && p.hasInstallScript === true).map(([path]) => path);
    expect(scripted).toEqual([]);
  });

  it('runs as a numeric non-root user, the one the chart sets', () => {
    const users = all(runtime, 'USER');
    expect(users).toHaveLength(1);
    const m = /^(\d+)(?::(\d+))?$/.exec(users[0]?.args ?? '');
    expect(m, 'USER must be numeric (uid or uid:gid) so that runAsNonRoot can be verified').not.toBeNull();
    expect(Number(m?.[1])).toBeGreaterThan(0);
    expect(Number(m?.[2] ?? '1')).toBeGreaterThan(0);
    const values = load(readFileSync(join(ROOT, 'helm', 'drover', 'values.yaml'), 'utf8')) as { securityContext: { runAsUser: number; runAsGroup: number } };
    expect([values.securityContext.runAsUser, values.securityContext.runAsGroup]).toEqual([Number(m?.[1]), Number(m?.[2])]);
    // the USER comes after the last RUN, so nothing in the image is made by or for a writable user
    const ops = runtime?.instructions.map((i) => i.op) ?? [];
    expect(ops.lastIndexOf('RUN')).toBeLessThan(ops.indexOf('USER'));
  });

  it('runs bin/drover, the scheduler by default', () => {
    expect(all(runtime, 'ENTRYPOINT').map((i) => JSON.parse(i.args) as unknown)).toEqual([['node', 'bin/drover']]);
    expect(all(runtime, 'CMD').map((i) => JSON.parse(i.args) as unknown)).toEqual([['scheduler']]);
  });

  it('copies into the runtime only the build output, bin/, production modules, package.json, config/ and the built UI, all there after a build', () => {
    const workdir = all(build, 'WORKDIR')[0]?.args ?? '';
    const copies = all(runtime, 'COPY').map((c) => {
      const m = /^--from=(\S+)\s+(\S+)\s+(\S+)$/.exec(c.args);
      expect(m, `COPY ${c.args} must copy from the build stage`).not.toBeNull();
      expect(m?.[1]).toBe('build');
      return (m?.[2] ?? '').replace(`${workdir}/`, '');
    });
    // ui/web/dist: the browser UI that `npm run build` makes and the scheduler serves (ui/server.ts)
    expect(copies.sort()).toEqual(['bin', 'config', 'dist', 'node_modules', 'package.json', 'ui/web/dist']);
    for (const path of copies) expect(existsSync(join(ROOT, path)), `${path} (run npm run build first)`).toBe(true);
    // what bin/drover imports, i.e. what `npm run build` must have produced
    const entry = /new URL\('\.\.\/(dist\/[^']+)'/.exec(readFileSync(join(ROOT, 'bin', 'drover'), 'utf8'))?.[1];
    expect(entry).toBe('dist/cli/main.js');
    expect(existsSync(join(ROOT, entry ?? '')), 'dist/cli/main.js: run npm run build first').toBe(true);
    expect(all(runtime, 'RUN').map((r) => r.args).join(' ')).not.toMatch(/\bnpm\b/);
  });
});

describe('.dockerignore', () => {
  const patterns = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  const ignored = (path: string) => patterns.some((p) => !p.includes('*') && (path === p || path.startsWith(`${p}/`)));

  it('keeps out what the build makes itself and local state', () => {
    for (const p of ['node_modules', 'dist', 'ui/web/dist', '.git', 'scratch', '.drover']) expect(ignored(p), p).toBe(true);
  });

  it('keeps in everything the build compiles', () => {
    const buildConfig = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as { include: string[] };
    const needed = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'bin', 'config', ...buildConfig.include];
    expect(needed.filter(ignored)).toEqual([]);
  });
});
