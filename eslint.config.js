// Lint rules. Type-aware, because a floating promise is the classic way to lose work in
// Temporal code; workflow files additionally may not touch Node builtins (non-deterministic I/O).
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Rules that need type information, for sources and tests alike. */
const typeAwareRules = {
  '@typescript-eslint/no-floating-promises': 'error',
  '@typescript-eslint/no-misused-promises': 'error',
  '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
  '@typescript-eslint/no-explicit-any': 'off',
};

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'packages/db/src/generated/**', '.data/**', 'coverage/**', 'temporal/types/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['packages/*/src/**/*.ts', 'apps/*/src/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: typeAwareRules,
  },
  {
    // Tests belong to no build project; `tsconfig.test.json` is their program (type-checked by `npm run lint`).
    files: ['test/**/*.ts', 'packages/*/test/**/*.ts', 'apps/*/test/**/*.ts'],
    ignores: ['packages/dag-interpreter/test/type-level/incomplete-node-type.ts'],
    languageOptions: { parserOptions: { project: './tsconfig.test.json', tsconfigRootDir: import.meta.dirname } },
    rules: typeAwareRules,
  },
  {
    // Code that runs inside the Temporal workflow sandbox (everything `workflow-safe.ts` reaches):
    // deterministic, no I/O. The sandbox replaces Date and Math.random with replay-safe versions; what it
    // cannot make deterministic (high-resolution clocks, crypto randomness, GC callbacks) is banned here.
    files: [
      'packages/dag-interpreter/src/workflow/**/*.ts',
      'packages/dag-interpreter/src/expressions/**/*.ts',
      'packages/dag-interpreter/src/node-types/**/*.ts',
      'packages/dag-interpreter/src/expressions.ts',
      'packages/dag-interpreter/src/workflow-safe.ts',
      'packages/dag-interpreter/src/dag-schema.ts',
      'packages/dag-interpreter/src/activity-contract.ts',
      'packages/dag-interpreter/src/duration.ts',
      'packages/dag-interpreter/src/validation/issues.ts',
      'packages/dag-interpreter/src/validation/parse-node-config.ts',
      'packages/dag-interpreter/src/validation/dag-views.ts',
      'packages/dag-interpreter/src/patches.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, 'ajv', 'ajv-formats'].map((name) => ({
            name,
            message: 'Workflow code must be deterministic: no Node builtins or I/O (use activities).',
          })),
          patterns: [{ group: ['@temporalio/activity', '@temporalio/worker', '@temporalio/client', '@trellis/db', '@trellis/connectors'], message: 'Not importable from workflow code.' }],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' },
        { name: 'setInterval', message: 'Use sleep() in a loop from @temporalio/workflow.' },
        { name: 'process', message: 'Workflow code has no process.' },
        { name: 'fetch', message: 'Network I/O belongs in an activity.' },
        { name: 'setImmediate', message: 'Use sleep() from @temporalio/workflow.' },
        { name: 'performance', message: 'Not replay-safe: use Date (workflow time) inside workflows.' },
        { name: 'crypto', message: 'Not replay-safe: use uuid4() from @temporalio/workflow.' },
        { name: 'WeakRef', message: 'Garbage collection timing differs between replays.' },
        { name: 'FinalizationRegistry', message: 'Garbage collection timing differs between replays.' },
        { name: 'require', message: 'Workflow code is bundled ESM: import instead.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'hrtime', message: 'Not replay-safe.' },
        { object: 'performance', property: 'now', message: 'Not replay-safe: use Date (workflow time).' },
        { object: 'crypto', property: 'randomUUID', message: 'Not replay-safe: use uuid4() from @temporalio/workflow.' },
        { object: 'crypto', property: 'getRandomValues', message: 'Not replay-safe: use uuid4() or Math.random (seeded by the SDK).' },
      ],
    },
  },
  {
    // One outbound path: requests on a DAG's behalf leave the worker only through `request` and the outbound
    // session (the egress checks). Any other HTTP client here would be a second path that skips them.
    files: ['packages/connectors/src/**/*.ts', 'apps/worker/src/**/*.ts'],
    ignores: ['packages/connectors/src/request.ts', 'packages/connectors/src/egress/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['undici', 'axios', 'got', 'node-fetch', 'ws', ...['http', 'https', 'http2', 'net', 'tls', 'dgram'].flatMap((name) => [name, `node:${name}`])].map((name) => ({
            name,
            message: "Requests on a DAG's behalf go through request() or context.outbound (the egress checks), never another client.",
          })),
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource'].map((name) => ({
          name,
          message: "Requests on a DAG's behalf go through request() or context.outbound (the egress checks).",
        })),
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', 'scripts/**', 'temporal/**'],
    languageOptions: { globals: globals.node },
  },
  {
    // Its page scripts run in the browser it drives.
    files: ['bench/dashboard.js'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
