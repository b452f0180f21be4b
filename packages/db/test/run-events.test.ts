// The run-events writer and listener against a real Postgres: gapless numbering under concurrent
// writers, what a rolled-back transaction leaves (nothing), the notification payload, and the
// listener's reconnection.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  listenForRunEvents,
  lockRunForEvents,
  parseRunEventNotification,
  recordRunEvents,
  type NewRunEvent,
  type RunEventNotification,
} from '@trellis/db';
import { createTestDatabase, type TestDatabase } from '@trellis/test-support/database';
import { eventually } from '@trellis/test-support';

let database: TestDatabase;
let agentId: string;
let agentVersionId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const agent = await database.prisma.agent.create({ data: { name: `agent-${randomUUID()}` } });
  const version = await database.prisma.agentVersion.create({
    data: { agentId: agent.id, version: 1, dag: { nodes: [{ id: 'a', type: 'set', config: { value: 1 } }], edges: [] } },
  });
  agentId = agent.id;
  agentVersionId = version.id;
});
afterAll(async () => {
  await database?.drop();
});

async function createRun(): Promise<string> {
  const run = await database.prisma.run.create({ data: { id: randomUUID(), agentId, agentVersionId, input: {} } });
  return run.id;
}

function nodeEvent(nodeId: string): NewRunEvent {
  return { type: 'node.started', nodeId, data: { nodeType: 'set' } };
}

async function storedSequences(runId: string): Promise<number[]> {
  const rows = await database.prisma.runEvent.findMany({ where: { runId }, orderBy: { sequence: 'asc' }, select: { sequence: true } });
  return rows.map((row) => row.sequence);
}

describe('recordRunEvents', () => {
  it('numbers a batch from 1, stores its fields in order and keeps the run counter', async () => {
    const runId = await createRun();
    const recorded = await database.prisma.$transaction((tx) =>
      recordRunEvents(tx, runId, [{ type: 'run.started', data: { status: 'RUNNING' } }, nodeEvent('a')]),
    );
    expect(recorded).toEqual({ agentId, sequences: [1, 2] });
    const rows = await database.prisma.runEvent.findMany({ where: { runId }, orderBy: { sequence: 'asc' } });
    expect(rows.map(({ sequence, type, nodeId, data }) => ({ sequence, type, nodeId, data }))).toEqual([
      { sequence: 1, type: 'run.started', nodeId: null, data: { status: 'RUNNING' } },
      { sequence: 2, type: 'node.started', nodeId: 'a', data: { nodeType: 'set' } },
    ]);
    expect(rows[0].createdAt.getTime()).toBeLessThanOrEqual(rows[1].createdAt.getTime());
    const run = await database.prisma.run.findUniqueOrThrow({ where: { id: runId } });
    expect(run.eventSequence).toBe(2);
  });

  it('returns null and writes nothing for a run that does not exist', async () => {
    const runId = randomUUID();
    const recorded = await database.prisma.$transaction((tx) => recordRunEvents(tx, runId, [nodeEvent('a')]));
    expect(recorded).toBeNull();
    expect(await database.prisma.runEvent.count({ where: { runId } })).toBe(0);
  });

  it('makes the second of two concurrent writers wait for the first, then numbers after it', async () => {
    const runId = await createRun();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let firstRecorded!: () => void;
    const recordedByFirst = new Promise<void>((resolve) => (firstRecorded = resolve));
    const first = database.prisma.$transaction(
      async (tx) => {
        const result = await recordRunEvents(tx, runId, [nodeEvent('a'), nodeEvent('b')]);
        firstRecorded();
        await held;
        return result;
      },
      { timeout: 20_000 },
    );
    await recordedByFirst;
    const second = database.prisma.$transaction((tx) => recordRunEvents(tx, runId, [nodeEvent('c')]), { timeout: 20_000 });
    // The second writer is blocked on the run's row lock, not racing ahead with a stale counter.
    await eventually(async () => {
      const [{ waiting }] = await database.prisma.$queryRaw<{ waiting: number }[]>`
        SELECT count(*)::int AS waiting FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock'`;
      return waiting === 1;
    });
    release();
    expect((await first)?.sequences).toEqual([1, 2]);
    expect((await second)?.sequences).toEqual([3]);
    expect(await storedSequences(runId)).toEqual([1, 2, 3]);
  });

  it('stays gapless with two writers appending concurrently, a rolled-back batch using no number', async () => {
    const runId = await createRun();
    const writer = async (name: string): Promise<number[]> => {
      const given: number[] = [];
      for (let i = 0; i < 20; i += 1) {
        const events = Array.from({ length: (i % 3) + 1 }, (_, k) => nodeEvent(`${name}-${i}-${k}`));
        const recorded = await database.prisma.$transaction((tx) => recordRunEvents(tx, runId, events));
        given.push(...(recorded?.sequences ?? []));
        if (i === 10) {
          await expect(
            database.prisma.$transaction(async (tx) => {
              await recordRunEvents(tx, runId, [nodeEvent(`${name}-rolled-back`)]);
              throw new Error('roll back');
            }),
          ).rejects.toThrow('roll back');
        }
      }
      return given;
    };
    const [a, b] = await Promise.all([writer('a'), writer('b')]);
    const total = 2 * (7 * 1 + 7 * 2 + 6 * 3);
    expect([...a, ...b].sort((x, y) => x - y)).toEqual(Array.from({ length: total }, (_, index) => index + 1));
    expect(await storedSequences(runId)).toEqual(Array.from({ length: total }, (_, index) => index + 1));
    expect(await database.prisma.runEvent.count({ where: { runId, nodeId: { endsWith: 'rolled-back' } } })).toBe(0);
    expect((await database.prisma.run.findUniqueOrThrow({ where: { id: runId } })).eventSequence).toBe(total);
  });

  it('lockRunForEvents returns the run as stored, or null for an unknown run', async () => {
    const runId = await createRun();
    await database.prisma.$transaction((tx) => recordRunEvents(tx, runId, [nodeEvent('a')]));
    const locked = await database.prisma.$transaction((tx) => lockRunForEvents(tx, runId));
    const { workspaceId } = await database.prisma.run.findUniqueOrThrow({ where: { id: runId } });
    expect(locked).toEqual({ status: 'RUNNING', agentId, workspaceId, eventSequence: 1 });
    expect(await database.prisma.$transaction((tx) => lockRunForEvents(tx, randomUUID()))).toBeNull();
  });
});

describe('listenForRunEvents', () => {
  it('delivers each committed batch as { runId, agentId, workspaceId, sequence, status? }, nothing for a rollback', async () => {
    const received: RunEventNotification[] = [];
    const listener = listenForRunEvents({ databaseUrl: database.url, onNotification: (notification) => received.push(notification) });
    try {
      await listener.ready;
      expect(listener.connected).toBe(true);
      const runId = await createRun();
      await expect(
        database.prisma.$transaction(async (tx) => {
          await recordRunEvents(tx, runId, [nodeEvent('lost')]);
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      await database.prisma.$transaction((tx) => recordRunEvents(tx, runId, [nodeEvent('a'), nodeEvent('b')]));
      await database.prisma.$transaction((tx) => recordRunEvents(tx, runId, [], { status: 'SUCCEEDED' }));
      // A transaction with neither events nor a status change announces nothing.
      await database.prisma.$transaction((tx) => recordRunEvents(tx, runId, []));
      await database.prisma.$transaction((tx) => recordRunEvents(tx, runId, [nodeEvent('c')], { status: 'FAILED' }));

      await eventually(async () => received.length >= 3);
      const { workspaceId } = await database.prisma.run.findUniqueOrThrow({ where: { id: runId } });
      // Notifications arrive in commit order, so the rolled-back batch would have come first.
      expect(received).toEqual([
        { runId, agentId, workspaceId, sequence: 2 },
        { runId, agentId, workspaceId, sequence: 2, status: 'SUCCEEDED' },
        { runId, agentId, workspaceId, sequence: 3, status: 'FAILED' },
      ]);
    } finally {
      await listener.close();
    }
  });

  it('reconnects after its connection is killed, and closes for good on close()', async () => {
    const received: RunEventNotification[] = [];
    const connections: boolean[] = [];
    const errors: unknown[] = [];
    const listener = listenForRunEvents({
      databaseUrl: database.url,
      onNotification: (notification) => received.push(notification),
      onConnected: ({ reconnected }) => connections.push(reconnected),
      onError: (error) => errors.push(error),
    });
    const listenerPids = async () =>
      (
        await database.prisma.$queryRaw<{ pid: number }[]>`
          SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN trellis_run_events'`
      ).map((row) => row.pid);
    try {
      await listener.ready;
      const [pid] = await listenerPids();
      expect(pid).toBeTypeOf('number');
      await database.prisma.$queryRaw`SELECT pg_terminate_backend(${pid}::int)`;
      await eventually(async () => connections.length === 2);
      expect(connections).toEqual([false, true]);
      expect(errors.length).toBeGreaterThan(0);
      expect(listener.connected).toBe(true);

      const runId = await createRun();
      await database.prisma.$transaction((tx) => recordRunEvents(tx, runId, [nodeEvent('a')]));
      await eventually(async () => received.some((notification) => notification.runId === runId));
    } finally {
      await listener.close();
    }
    expect(listener.connected).toBe(false);
    await eventually(async () => (await listenerPids()).length === 0);
  });
});

describe('parseRunEventNotification', () => {
  it('accepts a well-formed payload and ignores anything else', () => {
    const runId = randomUUID();
    expect(parseRunEventNotification(JSON.stringify({ runId, agentId, sequence: 4, status: 'WAITING' }))).toEqual({
      runId,
      agentId,
      sequence: 4,
      status: 'WAITING',
    });
    expect(parseRunEventNotification(JSON.stringify({ runId, agentId, sequence: 0 }))).toEqual({ runId, agentId, sequence: 0 });
    // Writers older than the workspace field send none; a malformed one is dropped, the rest kept.
    const workspaceId = randomUUID();
    expect(parseRunEventNotification(JSON.stringify({ runId, agentId, workspaceId, sequence: 1 }))).toEqual({ runId, agentId, workspaceId, sequence: 1 });
    expect(parseRunEventNotification(JSON.stringify({ runId, agentId, workspaceId: 7, sequence: 1 }))).toEqual({ runId, agentId, sequence: 1 });
    for (const payload of [undefined, '', 'not json', '42', 'null', JSON.stringify({ runId, agentId }), JSON.stringify({ runId, agentId, sequence: '1' })]) {
      expect(parseRunEventNotification(payload)).toBeUndefined();
    }
  });
});
