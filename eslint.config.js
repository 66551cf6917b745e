// Lint rules for the whole tree. The block for core/ makes the architecture mechanical:
// the scheduling core never imports Kubernetes, express or pino, nor the adapters around it.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const coreBoundary = {
  paths: [
    { name: '@kubernetes/client-node', message: 'core/ is cluster-agnostic: talk to Kubernetes in shim/.' },
    { name: 'express', message: 'core/ serves nothing: HTTP belongs to ui/ and webhook/.' },
    { name: 'pino', message: 'core/ takes its logger through the port; it never creates one.' },
  ],
  patterns: [
    { group: ['**/shim/**', '**/webhook/**', '**/ui/**', '**/cli/**'], message: 'core/ must not depend on its adapters.' },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'helm/**', 'scratch/**', 'ui/web/dist/**'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['eslint.config.js'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'TSEnumDeclaration', message: 'Use an `as const` table and a derived union.' }],
    },
  },
  // Node everywhere but the browser UI's sources (ui/web/src, type-checked by their own tsconfig).
  { ignores: ['ui/web/src/**'], languageOptions: { globals: { ...globals.node } } },
  { files: ['ui/web/src/**'], languageOptions: { globals: { ...globals.browser } } },
  {
    files: ['core/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', coreBoundary] },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
