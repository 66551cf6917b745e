/**
 * Shared by the configuration tests: load inline YAML and look at the result by code and path.
 */
import { expect } from 'vitest';
import { loadConfig } from './load.js';
import type { DroverConfig } from './model.js';

export interface Found {
  readonly severity: 'error' | 'warning';
  readonly code: string;
  readonly path: string;
}

/** Every issue of the text as {severity, code, path}. */
export function issuesOf(yaml: string): Found[] {
  return loadConfig(yaml).issues.map(({ severity, code, path }) => ({ severity, code, path }));
}

export function errorsOf(yaml: string): Omit<Found, 'severity'>[] {
  return issuesOf(yaml)
    .filter((i) => i.severity === 'error')
    .map(({ code, path }) => ({ code, path }));
}

export function warningsOf(yaml: string): Omit<Found, 'severity'>[] {
  return issuesOf(yaml)
    .filter((i) => i.severity === 'warning')
    .map(({ code, path }) => ({ code, path }));
}

/** Load text that must be valid; fails the test with the issues otherwise. */
export function mustLoad(yaml: string): DroverConfig {
  const r = loadConfig(yaml);
  if (!r.ok) expect.fail(`expected a valid configuration, got:\n${r.issues.map((i) => `${i.code} at ${i.path}: ${i.message}`).join('\n')}`);
  return r.config;
}
