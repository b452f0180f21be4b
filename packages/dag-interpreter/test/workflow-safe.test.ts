import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const distDir = resolve(dirname(fileURLToPath(import.meta.url)), '../dist');
const IMPORT_SPECIFIER = /(?:import|export)\s(?:[^'"]*?\sfrom\s)?['"]([^'"]+)['"]/g;

/** Bare package names reachable from `entry` through relative imports in the compiled output. */
async function externalImports(entry: string): Promise<Set<string>> {
  const external = new Set<string>();
  const seen = new Set<string>();
  const pending = [resolve(distDir, entry)];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const code = await readFile(file, 'utf8');
    for (const [, specifier] of code.matchAll(IMPORT_SPECIFIER)) {
      if (specifier.startsWith('.')) pending.push(resolve(dirname(file), specifier));
      else external.add(specifier);
    }
  }
  return external;
}

describe('workflow-safe entry point', () => {
  it('imports nothing but zod and jsonata (no ajv, no Node builtins)', async () => {
    expect([...(await externalImports('workflow-safe.js'))].sort()).toEqual(['jsonata', 'zod']);
  });

  it('the expressions module imports only jsonata', async () => {
    expect([...(await externalImports('expressions.js'))]).toEqual(['jsonata']);
  });

  it('the Node entry point does reach ajv (the check above can fail)', async () => {
    expect(await externalImports('index.js')).toContain('ajv');
  });
});
