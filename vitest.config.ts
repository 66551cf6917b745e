import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['bench/**/*.test.ts', 'core/**/*.test.ts', 'shim/**/*.test.ts', 'webhook/**/*.test.ts', 'ui/**/*.test.ts', 'cli/**/*.test.ts', 'sim/**/*.test.ts', 'demo/**/*.test.ts', 'apiserver/**/*.test.ts', 'test/**/*.test.ts', 'tls/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
  },
});
