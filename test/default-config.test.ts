/**
 * config/queues.yaml is the default configuration: it must load cleanly and mean exactly what the
 * built-in default (YuniKorn's) means.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_QUEUES_YAML, loadConfig } from '../core/config/index.js';

describe('config/queues.yaml', () => {
  it('loads without any issue and equals the built-in default', () => {
    const shipped = loadConfig(readFileSync(join(import.meta.dirname, '..', 'config', 'queues.yaml'), 'utf8'));
    const builtin = loadConfig(DEFAULT_QUEUES_YAML);
    expect(shipped.issues).toEqual([]);
    if (!shipped.ok || !builtin.ok) expect.fail('both must load');
    expect(shipped.config.partitions).toEqual(builtin.config.partitions);
  });
});
