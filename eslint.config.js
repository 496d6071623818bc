// Lint = the layering rules of ARCHITECTURE.md, plus TypeScript's recommended checks.
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'net', 'tls', 'http', 'https', 'crypto', 'stream', 'util', 'events'];
const MAIN_ONLY = ['electron', 'dockerode', 'ssh2', 'ssh2/*', 'ws', 'docker-modem'];
const restrict = (patterns, message) => ['error', { patterns: [{ group: patterns, message }] }];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'e2e/out/**', 'test-results/**', 'playwright-report/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['shared/**'],
    rules: { 'no-restricted-imports': restrict([...NODE_BUILTINS, ...MAIN_ONLY, 'react', 'react-*', '**/main/**', '**/renderer/**', '**/e2e/**'], 'shared/ is pure TypeScript: it imports only shared/ and zod.') },
  },
  {
    files: ['renderer/**'],
    rules: { 'no-restricted-imports': restrict([...NODE_BUILTINS, ...MAIN_ONLY, '**/main/**', '**/e2e/**'], 'renderer/ imports shared/ and browser libraries only.') },
  },
  {
    files: ['main/**'],
    ignores: ['main/electron/**', 'main/**/*.itest.ts', 'main/**/fixtures/**'],
    rules: { 'no-restricted-imports': restrict(['electron', '**/renderer/**', '**/e2e/**'], "Only main/electron/ imports 'electron'; main/ never imports renderer/ or e2e/.") },
  },
  {
    // Integration tests reach the lab through e2e/support, like every other lab test.
    files: ['main/**/*.itest.ts', 'main/**/fixtures/**'],
    rules: { 'no-restricted-imports': restrict(['electron', '**/renderer/**'], "Only main/electron/ imports 'electron'; main/ never imports renderer/.") },
  },
  {
    files: ['main/electron/**'],
    rules: { 'no-restricted-imports': restrict(['**/renderer/**', '**/e2e/**'], 'main/ never imports renderer/.') },
  },
  {
    files: ['main/electron/**'],
    ignores: ['main/electron/ipc.ts', 'main/electron/preload.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name=/^ipc(Main|Renderer)$/]", message: 'Register IPC only through main/electron/ipc.ts (sender-validated) and the preload.' },
      ],
    },
  },
);
