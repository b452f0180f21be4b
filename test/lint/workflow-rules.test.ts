/**
 * The lint rules that keep workflow code replay-safe actually fire: a workflow file that reads the
 * filesystem, a high-resolution clock or crypto randomness, or drops a promise, fails `npm test`.
 */
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
// An existing workflow file, so type-aware rules resolve it; its text is replaced by each case.
const workflowFile = fileURLToPath(new URL('../../packages/dag-interpreter/src/workflow/history-budget.ts', import.meta.url));
const eslint = new ESLint({ cwd: root });

async function rulesHit(code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: workflowFile });
  return result.messages.map((message) => message.ruleId ?? message.message);
}

describe('workflow lint rules', () => {
  it.each([
    ['a Node builtin', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync('a');\n", 'no-restricted-imports'],
    ['an activity-side package', "import { Context } from '@temporalio/activity';\nexport const x = Context;\n", 'no-restricted-imports'],
    ['performance.now()', 'export const t = performance.now();\n', 'no-restricted-globals'],
    ['crypto.randomUUID()', 'export const id = crypto.randomUUID();\n', 'no-restricted-globals'],
    ['setTimeout', 'setTimeout(() => undefined, 10);\n', 'no-restricted-globals'],
    [
      'a floating promise',
      "import { sleep } from '@temporalio/workflow';\nexport function f(): void {\n  sleep(10);\n}\n",
      '@typescript-eslint/no-floating-promises',
    ],
  ])('rejects %s', async (_name, code, rule) => {
    expect(await rulesHit(code)).toContain(rule);
  });

  it('accepts the SDK’s deterministic APIs', async () => {
    const code = "import { sleep, uuid4 } from '@temporalio/workflow';\nexport async function f(): Promise<string> {\n  await sleep(10);\n  return `${Date.now()}-${uuid4()}`;\n}\n";
    expect(await rulesHit(code)).toEqual([]);
  });
});

describe('egress lint rules', () => {
  // A connector and a worker module, so the rule's file globs and type-aware parsing apply.
  const connectorFile = fileURLToPath(new URL('../../packages/connectors/src/http.ts', import.meta.url));
  const workerFile = fileURLToPath(new URL('../../apps/worker/src/activities/egress-audit.ts', import.meta.url));
  const hits = async (code: string, filePath: string) => (await eslint.lintText(code, { filePath }))[0].messages.map((message) => message.ruleId ?? message.message);

  it.each([
    ['the global fetch', 'export const get = (url: string) => fetch(url);\n', connectorFile, 'no-restricted-globals'],
    ['undici', "import { request } from 'undici';\nexport const get = request;\n", connectorFile, 'no-restricted-imports'],
    ['node:http', "import { request } from 'node:http';\nexport const get = request;\n", workerFile, 'no-restricted-imports'],
    ['https', "import https from 'https';\nexport const get = https.get;\n", workerFile, 'no-restricted-imports'],
  ])('refuses %s outside the outbound path', async (_name, code, filePath, rule) => {
    expect(await hits(code, filePath)).toContain(rule);
  });

  it('lets the outbound path itself use undici', async () => {
    const requestFile = fileURLToPath(new URL('../../packages/connectors/src/request.ts', import.meta.url));
    expect(await hits("import { fetch } from 'undici';\nexport const get = (url: string) => fetch(url);\n", requestFile)).toEqual([]);
  });
});
