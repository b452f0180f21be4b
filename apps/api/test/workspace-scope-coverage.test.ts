/**
 * Every Prisma model with a `workspaceId` is either scoped by the API's workspace extension or listed as
 * deliberately unscoped with a reason, so a new tenant table cannot be forgotten.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WORKSPACE_SCOPED_MODELS, WORKSPACE_UNSCOPED_MODELS } from '@trellis/api';

const schemaPath = new URL('../../../prisma/schema.prisma', import.meta.url);

/** Model name → its field names, from `schema.prisma`'s `model X { … }` blocks. */
function modelFields(schema: string): Map<string, string[]> {
  const models = new Map<string, string[]>();
  for (const match of schema.matchAll(/^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm)) {
    const fields = match[2]
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => /^[a-zA-Z]\w*\s/.test(line))
      .map((line) => line.split(/\s+/)[0]);
    models.set(match[1], fields);
  }
  return models;
}

describe('workspace scope coverage', () => {
  const models = modelFields(readFileSync(schemaPath, 'utf8'));
  const withWorkspace = [...models].filter(([, fields]) => fields.includes('workspaceId')).map(([name]) => name);

  it('reads the models of schema.prisma', () => {
    expect(models.get('Run')).toEqual(expect.arrayContaining(['id', 'workspaceId', 'agentId']));
    expect(withWorkspace.length).toBeGreaterThanOrEqual(10);
  });

  it('covers every model with a workspaceId, scoped or unscoped with a reason', () => {
    const uncovered = withWorkspace.filter((name) => !WORKSPACE_SCOPED_MODELS.has(name) && !(name in WORKSPACE_UNSCOPED_MODELS));
    expect(uncovered).toEqual([]);
    for (const reason of Object.values(WORKSPACE_UNSCOPED_MODELS)) expect(reason.length).toBeGreaterThan(20);
  });

  it('scopes only models that exist and have a workspaceId', () => {
    const stray = [...WORKSPACE_SCOPED_MODELS, ...Object.keys(WORKSPACE_UNSCOPED_MODELS)].filter((name) => !withWorkspace.includes(name));
    expect(stray).toEqual([]);
    expect([...WORKSPACE_SCOPED_MODELS].filter((name) => name in WORKSPACE_UNSCOPED_MODELS)).toEqual([]);
  });
});
