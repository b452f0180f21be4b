// migrateDeploy's choice of tool, and the migrate CLI end to end.
import { readdirSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_MIGRATIONS_DIR, findSchemaEngineBinary, migrateDeploy } from '@trellis/db';
import { createTestDatabase, type TestDatabase } from '@trellis/test-support/database';

const execFileAsync = promisify(execFile);
const cliPath = fileURLToPath(new URL('../dist/cli/migrate.js', import.meta.url));

describe('findSchemaEngineBinary', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trellis-engine-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('ignores an unset variable, a missing file, a non-executable placeholder and an impostor', async () => {
    expect(await findSchemaEngineBinary({})).toBeUndefined();
    expect(await findSchemaEngineBinary({ PRISMA_SCHEMA_ENGINE_BINARY: join(dir, 'missing') })).toBeUndefined();
    const placeholder = join(dir, 'placeholder.mjs');
    await writeFile(placeholder, 'export {};\n');
    expect(await findSchemaEngineBinary({ PRISMA_SCHEMA_ENGINE_BINARY: placeholder })).toBeUndefined();
    const impostor = join(dir, 'impostor');
    await writeFile(impostor, '#!/bin/sh\necho "not an engine"\n');
    await chmod(impostor, 0o755);
    expect(await findSchemaEngineBinary({ PRISMA_SCHEMA_ENGINE_BINARY: impostor })).toBeUndefined();
  });

  it('accepts an executable that identifies itself as the schema engine', async () => {
    const engine = join(dir, 'schema-engine');
    await writeFile(engine, '#!/bin/sh\necho "schema-engine-cli 0123456789abcdef"\n');
    await chmod(engine, 0o755);
    expect(await findSchemaEngineBinary({ PRISMA_SCHEMA_ENGINE_BINARY: engine })).toBe(engine);
  });
});

describe('migrateDeploy and the migrate CLI', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase({ migrate: false });
  });
  afterEach(async () => {
    await database.drop();
  });

  it('falls back to the built-in applier when the schema engine is only a placeholder', async () => {
    const saved = process.env.PRISMA_SCHEMA_ENGINE_BINARY;
    process.env.PRISMA_SCHEMA_ENGINE_BINARY = fileURLToPath(new URL('../../../scripts/prisma-generate.mjs', import.meta.url));
    try {
      const result = await migrateDeploy(database.url);
      expect(result.applied[0]).toBe('20261122000000_init');
      expect(result).toEqual({ applied: result.applied, alreadyApplied: [], via: 'applier' });
      expect(result.applied).toContain('20261122100000_interpreter_depth');
    } finally {
      if (saved === undefined) delete process.env.PRISMA_SCHEMA_ENGINE_BINARY;
      else process.env.PRISMA_SCHEMA_ENGINE_BINARY = saved;
    }
  });

  it('CLI: applies pending migrations to DATABASE_URL and prints them; a second run applies nothing', async () => {
    const env = { ...process.env, DATABASE_URL: database.url, PRISMA_SCHEMA_ENGINE_BINARY: '' };
    const first = await execFileAsync(process.execPath, [cliPath], { env });
    expect(first.stdout).toContain('applied: 20261122000000_init');
    expect(first.stdout).toMatch(/\d+ applied, 0 already applied \(via applier\)/);
    expect(first.stdout).toContain('applied: 20261122100000_interpreter_depth');
    const second = await execFileAsync(process.execPath, [cliPath], { env });
    const shipped = readdirSync(DEFAULT_MIGRATIONS_DIR, { withFileTypes: true }).filter((entry) => entry.isDirectory()).length;
    expect(second.stdout).toContain(`0 applied, ${shipped} already applied`);
    expect(await database.prisma.agent.count()).toBe(0); // the tables exist
  });

  it('CLI: exits 2 without DATABASE_URL', async () => {
    const env = { ...process.env, DATABASE_URL: '' };
    const error = await execFileAsync(process.execPath, [cliPath], { env }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 2 });
    expect((error as { stderr: string }).stderr).toContain('DATABASE_URL is not set');
  });
});
