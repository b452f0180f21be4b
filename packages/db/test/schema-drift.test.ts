// The migrated database must match prisma/schema.prisma: the expected shape is derived from the schema
// file itself (through Prisma's own parser), so editing either side alone makes this test fail.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@trellis/test-support/database';
import { readDmmf } from './support/prisma-dmmf.js';
import {
  expectedSchemaFromDmmf,
  readDatabaseSchema,
  readSqlOnlyObjects,
  type SchemaSnapshot,
  type SqlOnlyObjects,
} from './support/schema-snapshot.js';

const schemaPath = fileURLToPath(new URL('../../../prisma/schema.prisma', import.meta.url));
const schemaText = readFileSync(schemaPath, 'utf8');

describe('schema drift: migrations vs schema.prisma', () => {
  let database: TestDatabase;
  let actual: SchemaSnapshot;
  let sqlOnly: SqlOnlyObjects;

  beforeAll(async () => {
    database = await createTestDatabase();
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      actual = await readDatabaseSchema(client);
      sqlOnly = await readSqlOnlyObjects(client);
    } finally {
      await client.end();
    }
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('has exactly the enums, tables, columns, types, nullability, defaults, keys, indexes and foreign keys of schema.prisma', () => {
    const expected = expectedSchemaFromDmmf(readDmmf(schemaText));
    // Spot-check that the derivation covers the tables Trellis relies on, so a broken
    // derivation cannot make both sides trivially empty.
    expect(Object.keys(expected.tables).sort()).toEqual([
      'agent_versions', 'agents', 'api_keys', 'approvals', 'audit_events', 'invitations', 'memberships', 'node_runs', 'payloads',
      'rate_limit_windows', 'run_events', 'runs', 'schedules', 'secrets', 'sessions', 'setup_tokens', 'users', 'workspace_vault_keys', 'workspaces',
    ]);
    expect(expected.tables.agents.columns.id).toEqual({ type: 'uuid', nullable: false, default: 'gen_random_uuid()' });
    expect(expected.tables.agent_versions.columns.dag.type).toBe('jsonb');
    expect(expected.tables.runs.columns.finished_at).toEqual({ type: 'timestamp(3) with time zone', nullable: true, default: null });
    expect(expected.tables.runs.columns.status.type).toBe('"RunStatus"');
    // Columns a trigger fills have no column default.
    expect(expected.tables.runs.columns.workspace_id).toEqual({ type: 'uuid', nullable: false, default: null });
    expect(expected.tables.audit_events.indexes.audit_events_workspace_id_occurred_at_id_idx).toEqual(['workspace_id', 'occurred_at DESC', 'id DESC']);
    expect(expected.tables.audit_events.foreignKeys).toEqual({});

    expect(actual).toEqual(expected);
  });

  it('has the triggers and expression indexes the schema.prisma comments name, and names every one', () => {
    expect(sqlOnly).toEqual({
      triggers: {
        agent_versions: ['agent_versions_immutable', 'agent_versions_workspace'],
        agents: ['agents_workspace'],
        approvals: ['approvals_workspace'],
        audit_events: ['audit_events_append_only', 'audit_events_no_truncate'],
        node_runs: ['node_runs_workspace'],
        run_events: ['run_events_workspace'],
        runs: ['runs_workspace'],
        schedules: ['schedules_workspace'],
      },
      expressionIndexes: {
        users_email_lower_key: expect.stringMatching(/^CREATE UNIQUE INDEX users_email_lower_key ON \S*users USING btree \(lower\(email\)\)$/),
      },
    });
    const names = [...Object.values(sqlOnly.triggers).flat(), ...Object.keys(sqlOnly.expressionIndexes)];
    const unnamed = names.filter((name) => !schemaText.includes(`\`${name}\``));
    expect(unnamed).toEqual([]);
  });

  it('detects a schema.prisma edit that the migrations do not follow', () => {
    const edited = schemaText.replace(/^(\s+description\s+)String\?/m, '$1String');
    expect(edited).not.toBe(schemaText);
    const expected = expectedSchemaFromDmmf(readDmmf(edited));
    expect(expected.tables.agents.columns.description.nullable).toBe(false);
    expect(actual).not.toEqual(expected);
  });

  it('detects a unique constraint the migrations lack', () => {
    const edited = schemaText.replace(/(\n\s+@@unique\(\[runId, nodeId\]\)\n)/, '\n  @@unique([runId, type])$1');
    expect(edited).not.toBe(schemaText);
    expect(actual).not.toEqual(expectedSchemaFromDmmf(readDmmf(edited)));
  });

  it('detects an index whose sort order differs from the schema', () => {
    const edited = schemaText.replace('@@index([workspaceId, occurredAt(sort: Desc), id(sort: Desc)])', '@@index([workspaceId, occurredAt, id(sort: Desc)])');
    expect(edited).not.toBe(schemaText);
    expect(actual).not.toEqual(expectedSchemaFromDmmf(readDmmf(edited)));
  });

  it('detects a database that lost an index the schema declares', async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query('DROP INDEX runs_status_idx');
      const altered = await readDatabaseSchema(client);
      expect(altered.tables.runs.indexes).not.toHaveProperty('runs_status_idx');
      expect(altered).not.toEqual(expectedSchemaFromDmmf(readDmmf(schemaText)));
    } finally {
      await client.end();
    }
  });
});
