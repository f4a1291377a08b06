import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const IO_MODULES = ['node:*', 'fs', 'http', 'https', 'net', 'child_process', 'undici', '@grpc/*', '@nats-io/*', '@clickhouse/*', 'chdb', 'pino', 'express'];

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'tools/**', '**/dist/**', '**/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-restricted-imports': ['error', { patterns: [{ group: ['@etcd-analyzer/*/src/*'], message: 'import a package subpath (e.g. @etcd-analyzer/shared/catalog), not its files' }] }],
    },
  },
  {
    // Pure modules: the domain has no I/O (DESIGN.md, "Dependency direction").
    files: ['packages/shared/src/{catalog,schema,rules,report}/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: IO_MODULES, message: 'catalog/, schema/, rules/ and report/ are pure: no I/O imports' }] }],
    },
  },
);
