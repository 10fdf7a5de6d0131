import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Dependencies point only toward shared/ (ARCHITECTURE.md section 2).
const forbid = (...workspaces) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: workspaces.flatMap((w) => [
        { group: [`@fleetsync/${w}`, `@fleetsync/${w}/*`], message: `this workspace may not import ${w}` },
        { group: [`**/${w}/src/**`], message: `this workspace may not import ${w}` },
      ]),
    },
  ],
});

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'dist/**', '.data/**', 'coverage/**', 'scripts/bench/results/**'] },
  { files: ['scripts/**/*.mjs'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  { files: ['shared/**/*.ts'], rules: forbid('sync-server', 'device-bridge', 'client', 'e2e') },
  { files: ['sync-server/**/*.ts'], rules: forbid('device-bridge', 'client', 'e2e') },
  { files: ['device-bridge/**/*.ts'], rules: forbid('sync-server', 'client', 'e2e') },
  { files: ['client/**/*.{ts,tsx}'], rules: forbid('sync-server', 'device-bridge', 'e2e') },
  // Tests act as a user would: they may start a real server beside the workspace under test.
  { files: ['**/test/**/*.ts', 'e2e/**/*.ts', 'scripts/**/*.ts'], rules: { 'no-restricted-imports': 'off' } },
);
