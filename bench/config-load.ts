/**
 * Load and validate a large queues.yaml: 1,010 queues four levels deep (root, 10 departments,
 * 100 teams, 900 leaves), each with guaranteed and max resources and maxapplications, user and group
 * limits on departments and leaves, and a chain of placement rules. Reports the median and p95 of
 * the wall time of loadConfig (parse, schema, normalise, checks, freeze).
 */
import { loadConfig } from '../core/config/index.js';
import type { BenchResult } from './stats.js';
import { summarise } from './stats.js';

const DEPARTMENTS = 10;
const TEAMS = 10;
const LEAVES = 9;

function limits(indent: string, users: number, apps: number): string {
  return [
    `${indent}limits:`,
    `${indent}  - limit: named user`,
    `${indent}    users: [alice, bob]`,
    `${indent}    maxresources: {memory: ${users}Gi, vcore: ${users}}`,
    `${indent}    maxapplications: ${apps}`,
    `${indent}  - limit: data group`,
    `${indent}    groups: [data]`,
    `${indent}    maxapplications: ${apps}`,
    `${indent}  - limit: everyone`,
    `${indent}    users: ["*"]`,
    `${indent}    maxresources: {memory: ${users}Gi}`,
    `${indent}    maxapplications: ${apps}`,
  ].join('\n');
}

/** The generated text, and how many queues it has below root. */
export function generateConfig(): { text: string; queues: number } {
  const lines = [
    'partitions:',
    '  - name: default',
    '    placementrules:',
    '      - name: provided',
    '        create: false',
    '      - name: user',
    '        create: true',
    '        filter: {type: deny, users: ["^sys-.*$"]}',
    '        parent: {name: fixed, value: root.dept-0.team-0}',
    '      - name: tag',
    '        value: namespace',
    '        create: true',
    '        parent: {name: tag, value: namespace.parentqueue}',
    '      - name: fixed',
    '        value: root.dept-9.team-9.leaf-8',
    '    queues:',
    '      - name: root',
    '        submitacl: "*"',
    '        queues:',
  ];
  let queues = 0;
  for (let d = 0; d < DEPARTMENTS; d++) {
    queues++;
    lines.push(
      `          - name: dept-${d}`,
      `            maxapplications: 1000`,
      `            adminacl: "admin-${d} ops"`,
      `            resources: {guaranteed: {memory: 1000Gi, vcore: 1000}, max: {memory: 2000Gi, vcore: 2000}}`,
      `            properties: {application.sort.policy: fair, priority.offset: "${d}"}`,
      limits('            ', 500, 100),
      `            queues:`,
    );
    for (let t = 0; t < TEAMS; t++) {
      queues++;
      lines.push(
        `              - name: team-${t}`,
        `                parent: true`,
        `                maxapplications: 100`,
        `                resources: {guaranteed: {memory: 100Gi, vcore: 100}, max: {memory: 200Gi, vcore: 200}}`,
        `                queues:`,
      );
      for (let l = 0; l < LEAVES; l++) {
        queues++;
        lines.push(
          `                  - name: leaf-${l}`,
          `                    maxapplications: 10`,
          `                    submitacl: "user-${l} data"`,
          `                    resources: {guaranteed: {memory: 10Gi, vcore: 10}, max: {memory: 20Gi, vcore: 20}}`,
          limits('                    ', 5, 10),
        );
      }
    }
  }
  return { text: `${lines.join('\n')}\n`, queues };
}

export function benchConfigLoad(runs = 200, warmup = 20): BenchResult {
  const { text, queues } = generateConfig();
  const first = loadConfig(text);
  if (!first.ok) throw new Error(`the generated configuration is invalid: ${first.issues[0]?.message ?? ''}`);
  for (let i = 0; i < warmup; i++) loadConfig(text);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    loadConfig(text);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return { bench: 'config.load', queues, depth: 4, bytes: Buffer.byteLength(text), runs, ...summarise(times), budgetMs: 100 };
}
