/**
 * Schedules end to end: the API writes Postgres and Temporal Schedules on the shared dev server, Temporal
 * fires, the real worker records the runs. Every schedule is deleted in `afterAll` so none keeps firing.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScheduleDescription, ScheduleNotFoundError } from '@temporalio/client';
import { eventually } from '@trellis/test-support';
import { createHarness, type Harness } from '@trellis/test-support/worker';
import { type ApiTestContext, type GraphqlResponse, type ResponseData, setDag, startTestApi } from './support/api-test-context.js';

const SCHEDULE_FIELDS = `id agent { id } version cron interval timezone input overlapPolicy catchupWindow paused note
  nextFireTimes recentActions { scheduledAt takenAt workflowId run { id status trigger scheduleId } }`;
const CREATE = `mutation ($input: CreateScheduleInput!) { createSchedule(input: $input) { ${SCHEDULE_FIELDS} } }`;
const UPDATE = `mutation ($id: ID!, $input: UpdateScheduleInput!) { updateSchedule(id: $id, input: $input) { ${SCHEDULE_FIELDS} } }`;
const SCHEDULES = `query ($agentId: ID!) { schedules(agentId: $agentId) { ${SCHEDULE_FIELDS} } }`;
const PAUSE = `mutation ($id: ID!, $note: String) { pauseSchedule(id: $id, note: $note) { id paused note nextFireTimes } }`;
const UNPAUSE = `mutation ($id: ID!) { unpauseSchedule(id: $id) { id paused note } }`;
const TRIGGER = `mutation ($id: ID!) { triggerSchedule(id: $id) { id } }`;
const BACKFILL = `mutation ($id: ID!, $start: DateTime!, $end: DateTime!, $overlap: ScheduleOverlapPolicy) {
  backfillSchedule(id: $id, start: $start, end: $end, overlapPolicy: $overlap) { id }
}`;
const DELETE = `mutation ($id: ID!) { deleteSchedule(id: $id) }`;
const RUNS = `query ($agentId: ID!) { runs(agentId: $agentId, first: 100) { nodes { id status trigger scheduleId schedule { id } output } } }`;

/** Never fires on its own within a test (1 January, midnight). */
const YEARLY = '0 0 1 1 *';

let harness: Harness;
let ctx: ApiTestContext;
let agentId: string;
beforeAll(async () => {
  harness = await createHarness();
  ctx = await startTestApi({ db: harness.db, temporalAddress: harness.temporalAddress, taskQueue: harness.taskQueue });
  agentId = await createAgent('scheduled');
});
afterAll(async () => {
  if (harness) {
    const rows = await harness.db.prisma.schedule.findMany({ select: { id: true } });
    await Promise.allSettled(rows.map((row) => harness.client.schedule.getHandle(temporalId(row.id)).delete()));
  }
  await ctx?.close();
  await harness?.close();
});

function temporalId(scheduleId: string): string {
  return `trellis-schedule-${scheduleId}`;
}

async function createAgent(name: string, dag: unknown = setDag({ at: '{{ $now() }}' })): Promise<string> {
  const { createAgent } = await ctx.graphqlOk(`mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`, {
    input: { name: `${name}-${randomUUID()}`, dag },
  });
  return createAgent.id;
}

async function createSchedule(input: Record<string, unknown>): Promise<ResponseData> {
  return (await ctx.graphqlOk(CREATE, { input: { agentId, ...input } })).createSchedule;
}

/** Runs of the agent started by `scheduleId`, as the API shows them. */
async function scheduledRuns(scheduleId: string, agent = agentId): Promise<ResponseData[]> {
  const { runs } = await ctx.graphqlOk(RUNS, { agentId: agent });
  return runs.nodes.filter((run: ResponseData) => run.scheduleId === scheduleId);
}

/** One schedule as `schedules(agentId)` lists it. */
async function listedSchedule(scheduleId: string, agent = agentId): Promise<ResponseData> {
  const { schedules } = await ctx.graphqlOk(SCHEDULES, { agentId: agent });
  return schedules.find((candidate: ResponseData) => candidate.id === scheduleId);
}

/** Temporal's own view of a schedule, behind the API's back. */
function describeSchedule(scheduleId: string): Promise<ScheduleDescription> {
  return harness.client.schedule.getHandle(temporalId(scheduleId)).describe();
}

/** Milliseconds between consecutive ISO-8601 times. */
function gapsOf(times: string[]): number[] {
  return times.slice(1).map((time, index) => Date.parse(time) - Date.parse(times[index]));
}

/** Ids of every schedule Temporal lists (eventually consistent: a new one shows up moments later). */
async function listedIds(): Promise<string[]> {
  const ids: string[] = [];
  for await (const summary of harness.client.schedule.list()) ids.push(summary.scheduleId);
  return ids;
}

/** True once Temporal no longer has the schedule `id`. */
async function isGone(id: string): Promise<boolean> {
  try {
    await harness.client.schedule.getHandle(id).describe();
    return false;
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return true;
    throw error;
  }
}

function issuesOf(response: GraphqlResponse): { path: string; message: string }[] {
  expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  return response.errors?.[0]?.extensions?.issues ?? [];
}

describe('schedules', () => {
  it('fires an interval schedule every second; its runs are Runs with trigger SCHEDULE and the schedule id', async () => {
    const schedule = await createSchedule({ interval: '1s', input: { threshold: 3 } });
    expect(schedule).toMatchObject({ cron: null, interval: '1s', timezone: 'UTC', overlapPolicy: 'SKIP', paused: false, version: null });
    expect(gapsOf(schedule.nextFireTimes)).toEqual([1_000, 1_000, 1_000, 1_000]);

    const runs = await eventually(async () => {
      const found = await scheduledRuns(schedule.id);
      return found.filter((run) => run.status === 'SUCCEEDED').length >= 2 && found;
    });
    for (const run of runs.filter((candidate) => candidate.status === 'SUCCEEDED')) {
      expect(run).toMatchObject({ trigger: 'SCHEDULE', scheduleId: schedule.id, schedule: { id: schedule.id } });
      expect(run.output).toHaveProperty('at');
    }
    const rows = await harness.db.prisma.run.findMany({ where: { scheduleId: schedule.id } });
    for (const row of rows) {
      expect(row.workflowId).toMatch(new RegExp(`^${temporalId(schedule.id)}-`));
      expect(row.input).toEqual({ threshold: 3 });
    }

    // recentActions are Temporal's last 5 actions, newest first, each with the Run it started. Temporal keeps
    // firing, so compare with its description only when no action was taken while the API answered.
    const { listed, actions } = await eventually(async () => {
      const before = await describeSchedule(schedule.id);
      const found = await listedSchedule(schedule.id);
      const after = await describeSchedule(schedule.id);
      const withRuns = found.recentActions.filter((action: ResponseData) => action.run?.status === 'SUCCEEDED');
      const stable = before.info.numActionsTaken === after.info.numActionsTaken;
      return stable && after.info.numActionsTaken > 5 && withRuns.length >= 2 && { listed: found, actions: after.info.recentActions };
    }, 30_000);
    const newestFive = actions.slice(-5).reverse();
    expect(listed.recentActions.map((action: ResponseData) => action.scheduledAt)).toEqual(
      newestFive.map((action) => action.scheduledAt.toISOString()),
    );
    expect(listed.recentActions.map((action: ResponseData) => action.workflowId)).toEqual(
      newestFive.map((action) => action.action.workflow.workflowId),
    );
    const recorded = await scheduledRuns(schedule.id);
    for (const action of listed.recentActions.filter((candidate: ResponseData) => candidate.run)) {
      expect(action.run).toMatchObject({ trigger: 'SCHEDULE', scheduleId: schedule.id });
      expect(recorded.map((run) => run.id)).toContain(action.run.id);
      expect(Date.parse(action.scheduledAt) % 1_000).toBe(0);
    }
    expect(gapsOf(listed.recentActions.map((action: ResponseData) => action.scheduledAt)).every((gap) => gap < 0)).toBe(true);
    expect(listed.nextFireTimes).toHaveLength(5);
    expect(gapsOf(listed.nextFireTimes)).toEqual([1_000, 1_000, 1_000, 1_000]);

    // Delete: the Temporal Schedule and the row go, the runs stay.
    const { deleteSchedule } = await ctx.graphqlOk(DELETE, { id: schedule.id });
    expect(deleteSchedule).toBe(schedule.id);
    await expect(describeSchedule(schedule.id)).rejects.toBeInstanceOf(ScheduleNotFoundError);
    expect(await harness.db.prisma.schedule.findUnique({ where: { id: schedule.id } })).toBeNull();
    expect(await harness.db.prisma.run.count({ where: { id: { in: runs.map((run) => run.id) } } })).toBe(runs.length);
    const again = await ctx.graphql(DELETE, { id: schedule.id });
    expect(again.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('pauseSchedule stops the fires and shows its note; unpauseSchedule resumes them', async () => {
    const schedule = await createSchedule({ interval: '1s' });
    await eventually(async () => (await harness.db.prisma.run.count({ where: { scheduleId: schedule.id } })) >= 1);

    const { pauseSchedule } = await ctx.graphqlOk(PAUSE, { id: schedule.id, note: ' maintenance ' });
    expect(pauseSchedule).toEqual({ id: schedule.id, paused: true, note: 'maintenance', nextFireTimes: [] });
    expect(await listedSchedule(schedule.id)).toMatchObject({ paused: true, note: 'maintenance', nextFireTimes: [] });
    // Once Temporal's scheduler shows the pause it has applied it: the actions it took before are final.
    const paused = await eventually(async () => {
      const description = await describeSchedule(schedule.id);
      return description.state.paused && description;
    });
    expect(paused.state.note).toBe('maintenance');
    const taken = paused.info.numActionsTaken;
    await eventually(async () => (await harness.db.prisma.run.count({ where: { scheduleId: schedule.id } })) === taken);
    // Absence can only be shown over a window: three would-be fires, witnessed by a second 1s schedule made
    // after the pause applied. Interval schedules fire on whole seconds, so each of its fires is a fire time
    // of the paused one too; once it has taken three actions, the paused one has let three pass. (SKIP, the
    // default policy, keeps the witness to one run at a time: it only needs to fire, not to pile up runs.)
    const witness = (
      await ctx.graphqlOk(CREATE, { input: { agentId: await createAgent('pause-witness'), interval: '1s' } })
    ).createSchedule;
    try {
      await eventually(async () => (await describeSchedule(witness.id)).info.numActionsTaken >= 3);
    } finally {
      await ctx.graphqlOk(DELETE, { id: witness.id });
    }
    expect((await describeSchedule(schedule.id)).info.numActionsTaken).toBe(taken);
    expect(await harness.db.prisma.run.count({ where: { scheduleId: schedule.id } })).toBe(taken);

    const tooLong = await ctx.graphql(PAUSE, { id: schedule.id, note: 'x'.repeat(1_001) });
    expect(issuesOf(tooLong)).toEqual([{ path: 'note', message: 'must be at most 1000 characters' }]);
    const unknown = await ctx.graphql(PAUSE, { id: randomUUID(), note: null });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    const unpausedAt = Date.now();
    const { unpauseSchedule } = await ctx.graphqlOk(UNPAUSE, { id: schedule.id });
    expect(unpauseSchedule).toEqual({ id: schedule.id, paused: false, note: null });
    await eventually(async () => (await harness.db.prisma.run.count({ where: { scheduleId: schedule.id } })) >= taken + 2);
    // The fires missed while paused are not taken afterwards.
    const resumed = (await describeSchedule(schedule.id)).info.recentActions.slice(-2);
    for (const action of resumed) expect(action.scheduledAt.getTime()).toBeGreaterThanOrEqual(unpausedAt - 1_000);
    expect((await listedSchedule(schedule.id)).nextFireTimes).toHaveLength(5);
    await ctx.graphqlOk(DELETE, { id: schedule.id });
  });

  it('triggerSchedule starts a run now', async () => {
    const schedule = await createSchedule({ cron: YEARLY, timezone: 'Europe/Paris' });
    // Midnight, 1 January, in Paris: 23:00 UTC the day before, five years in a row.
    expect(schedule.nextFireTimes).toHaveLength(5);
    const firstYear = Number(schedule.nextFireTimes[0].slice(0, 4));
    expect(schedule.nextFireTimes).toEqual([0, 1, 2, 3, 4].map((n) => `${firstYear + n}-12-31T23:00:00.000Z`));
    expect(schedule.recentActions).toEqual([]);

    await ctx.graphqlOk(TRIGGER, { id: schedule.id });
    const [run] = await eventually(async () => {
      const found = await scheduledRuns(schedule.id);
      return found.length === 1 && found[0].status === 'SUCCEEDED' && found;
    });
    expect(run).toMatchObject({ trigger: 'SCHEDULE', schedule: { id: schedule.id } });
    const listed = await listedSchedule(schedule.id);
    expect(listed.recentActions).toHaveLength(1);
    expect(listed.recentActions[0].run).toMatchObject({ id: run.id, status: 'SUCCEEDED' });
    // A trigger does not move the schedule's own fire times.
    expect(listed.nextFireTimes).toEqual(schedule.nextFireTimes);

    const unknown = await ctx.graphql(TRIGGER, { id: randomUUID() });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const malformed = await ctx.graphql(TRIGGER, { id: 'nope' });
    expect(issuesOf(malformed)[0].path).toBe('id');
  });

  it('backfills a past window: one run per missed minute, even while paused', async () => {
    const schedule = await createSchedule({ cron: '* * * * *', paused: true, note: 'backfill only' });
    expect(schedule).toMatchObject({ paused: true, note: 'backfill only', nextFireTimes: [] });
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    const start = new Date(minute - 10 * 60_000 + 30_000);
    const end = new Date(start.getTime() + 3 * 60_000);

    const backwards = await ctx.graphql(BACKFILL, { id: schedule.id, start: end.toISOString(), end: start.toISOString() });
    expect(issuesOf(backwards)).toEqual([{ path: 'end', message: 'must be after start' }]);
    const empty = await ctx.graphql(BACKFILL, { id: schedule.id, start: start.toISOString(), end: start.toISOString() });
    expect(issuesOf(empty)).toEqual([{ path: 'end', message: 'must be after start' }]);
    expect((await describeSchedule(schedule.id)).info.numActionsTaken).toBe(0);

    await ctx.graphqlOk(BACKFILL, { id: schedule.id, start: start.toISOString(), end: end.toISOString(), overlap: 'ALLOW_ALL' });
    const runs = await eventually(async () => {
      const found = await scheduledRuns(schedule.id);
      return found.length >= 3 && found.every((run) => run.status === 'SUCCEEDED') && found;
    });
    // Exactly the three missed minutes: Temporal took three actions and no more.
    expect((await describeSchedule(schedule.id)).info.numActionsTaken).toBe(3);
    const rows = await harness.db.prisma.run.findMany({ where: { scheduleId: schedule.id } });
    expect(rows).toHaveLength(3);
    expect(runs).toHaveLength(3);
    const missed = [3, 2, 1].map((n) => new Date(start.getTime() - 30_000 + n * 60_000).toISOString());
    expect(rows.map((row) => row.workflowId).sort()).toEqual(
      [...missed].reverse().map((time) => `${temporalId(schedule.id)}-${time.replace('.000Z', 'Z')}`),
    );
    const listed = await listedSchedule(schedule.id);
    expect(listed.recentActions.map((action: ResponseData) => action.scheduledAt)).toEqual(missed);
    for (const action of listed.recentActions) {
      expect(action.run).toMatchObject({ status: 'SUCCEEDED', trigger: 'SCHEDULE', scheduleId: schedule.id });
    }
    expect(listed.nextFireTimes).toEqual([]);
  });

  it('refuses bad cron strings, unknown time zones and bad durations with paths, storing nothing', async () => {
    const before = { ...(await ctx.rowCounts()), schedules: await harness.db.prisma.schedule.count() };
    const cases: [Record<string, unknown>, { path: string; message: RegExp }[]][] = [
      [{ cron: '61 * * * *' }, [{ path: 'input.cron', message: /minute field "61": 61 is outside 0-59/ }]],
      [{ cron: '* * * *' }, [{ path: 'input.cron', message: /must have 5 fields/ }]],
      [{ cron: '@daily' }, [{ path: 'input.cron', message: /must have 5 fields/ }]],
      [{ cron: '0 22-2 * * *' }, [{ path: 'input.cron', message: /runs backwards/ }]],
      [{ cron: '0 0 * * FUNDAY' }, [{ path: 'input.cron', message: /day of week field/ }]],
      [{ cron: YEARLY, timezone: 'Mars/Olympus' }, [{ path: 'input.timezone', message: /unknown time zone/ }]],
      // ICU accepts any case; Temporal (Go) does not: Temporal's refusal is reported at the same path.
      [{ cron: YEARLY, timezone: 'europe/paris' }, [{ path: 'input.timezone', message: /unknown time zone/ }]],
      [{}, [{ path: 'input.cron', message: /either cron or interval is required/ }]],
      [{ cron: YEARLY, interval: '1m' }, [{ path: 'input.interval', message: /exactly one/ }]],
      [{ interval: '500ms' }, [{ path: 'input.interval', message: /at least 1s/ }]],
      [{ interval: '1.5s' }, [{ path: 'input.interval', message: /whole number of seconds/ }]],
      [{ interval: 'soon' }, [{ path: 'input.interval', message: /invalid duration/ }]],
      [{ interval: '1m', catchupWindow: '1s' }, [{ path: 'input.catchupWindow', message: /at least 10s/ }]],
      [{ interval: '1m', input: { threshold: 'high', extra: 1 } }, [
        { path: 'input.input.extra', message: /is not allowed/ },
        { path: 'input.input.threshold', message: /number/ },
      ]],
    ];
    for (const [input, expected] of cases) {
      const issues = issuesOf(await ctx.graphql(CREATE, { input: { agentId, ...input } }));
      issues.sort((a, b) => a.path.localeCompare(b.path));
      expect(issues, JSON.stringify(input)).toHaveLength(expected.length);
      for (const [index, issue] of expected.entries()) {
        expect(issues[index].path, JSON.stringify(input)).toBe(issue.path);
        expect(issues[index].message, JSON.stringify(input)).toMatch(issue.message);
      }
    }
    const unknownAgent = await ctx.graphql(CREATE, { input: { agentId: randomUUID(), interval: '1m' } });
    expect(unknownAgent.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const unknownVersion = await ctx.graphql(CREATE, { input: { agentId, version: 9, interval: '1m' } });
    expect(unknownVersion.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    expect({ ...(await ctx.rowCounts()), schedules: await harness.db.prisma.schedule.count() }).toEqual(before);
    // Nor in Temporal: every Trellis schedule on this task queue has a row (deleted ones may still be listed).
    const ours = (await harness.db.prisma.schedule.findMany({ select: { id: true } })).map((row) => temporalId(row.id));
    for await (const summary of harness.client.schedule.list()) {
      if (!summary.scheduleId.startsWith('trellis-schedule-') || ours.includes(summary.scheduleId)) continue;
      const description = await harness.client.schedule.getHandle(summary.scheduleId).describe().catch(() => null);
      const taskQueue = description?.action.type === 'startWorkflow' ? description.action.taskQueue : undefined;
      expect(taskQueue, summary.scheduleId).not.toBe(harness.taskQueue);
    }
  });

  it('updates timing and policies in Postgres and Temporal, and refuses a bad update without changing anything', async () => {
    const schedule = await createSchedule({ cron: YEARLY });
    const { updateSchedule } = await ctx.graphqlOk(UPDATE, {
      id: schedule.id,
      input: { interval: '1h', overlapPolicy: 'BUFFER_ONE', catchupWindow: '5m', input: { threshold: 1 } },
    });
    expect(updateSchedule).toMatchObject({ cron: null, interval: '1h', overlapPolicy: 'BUFFER_ONE', catchupWindow: '5m', input: { threshold: 1 } });
    const description = await harness.client.schedule.getHandle(temporalId(schedule.id)).describe();
    expect(description.spec.intervals).toMatchObject([{ every: 3_600_000 }]);
    expect(description.spec.intervals?.[0].offset ?? 0).toBe(0);
    expect(description.spec.calendars).toEqual([]);
    expect(description.policies).toMatchObject({ overlap: 'BUFFER_ONE', catchupWindow: 300_000 });
    expect(description.action).toMatchObject({ taskQueue: harness.taskQueue, workflowId: temporalId(schedule.id) });
    const [workflowInput] = description.action.args as ResponseData[];
    expect(workflowInput).toMatchObject({ scheduleId: schedule.id, input: { threshold: 1 }, trigger: 'SCHEDULE' });
    expect(workflowInput).not.toHaveProperty('runId');

    const bad = await ctx.graphql(UPDATE, { id: schedule.id, input: { cron: '* * * * * *' } });
    expect(issuesOf(bad)[0].path).toBe('input.cron');
    const row = await harness.db.prisma.schedule.findUniqueOrThrow({ where: { id: schedule.id } });
    expect(row).toMatchObject({ cron: null, interval: '1h' });
    const unknown = await ctx.graphql(UPDATE, { id: randomUUID(), input: { interval: '1m' } });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('moves unpinned schedules to a newly published live version and leaves pinned ones', async () => {
    const agent = await createAgent('versioned');
    const live = (await ctx.graphqlOk(CREATE, { input: { agentId: agent, cron: YEARLY } })).createSchedule;
    const pinned = (await ctx.graphqlOk(CREATE, { input: { agentId: agent, cron: YEARLY, version: 1 } })).createSchedule;
    expect(pinned.version).toBe(1);
    const versionIds = async () =>
      (await harness.db.prisma.agentVersion.findMany({ where: { agentId: agent }, orderBy: { version: 'asc' } })).map((v) => v.id);
    const argsOf = async (id: string) =>
      ((await harness.client.schedule.getHandle(temporalId(id)).describe()).action.args as ResponseData[])[0];
    const [v1] = await versionIds();
    expect((await argsOf(live.id)).agentVersionId).toBe(v1);

    await ctx.graphqlOk(`mutation ($agentId: ID!, $dag: JSON!) { publishAgentVersion(agentId: $agentId, dag: $dag) { id } }`, {
      agentId: agent,
      dag: setDag({ version: 2 }),
    });
    const [, v2] = await versionIds();
    expect((await argsOf(live.id)).agentVersionId).toBe(v2);
    expect((await argsOf(live.id)).dag.nodes[0].config.value).toEqual({ version: 2 });
    expect((await argsOf(pinned.id)).agentVersionId).toBe(v1);
  });

  it('reconciles at startup: restores a deleted schedule, repairs drift, removes orphans on its task queue only', async () => {
    const lost = await createSchedule({ cron: YEARLY });
    const drifted = await createSchedule({ cron: '30 6 * * MON-FRI', timezone: 'America/New_York' });
    // In line with its row: no pass may rewrite it.
    const steady = await createSchedule({ interval: '1h', overlapPolicy: 'BUFFER_ALL', catchupWindow: '5m', input: { threshold: 2 } });
    await harness.client.schedule.getHandle(temporalId(lost.id)).delete();
    await harness.client.schedule.getHandle(temporalId(drifted.id)).update((previous) => ({
      ...previous,
      spec: { cronExpressions: ['0 12 * * *'] },
      state: { paused: true, note: 'changed behind the API' },
    }));
    const action = (taskQueue: string) => ({
      type: 'startWorkflow' as const,
      workflowType: 'dagWorkflow',
      taskQueue,
      args: [{ runId: '', agentVersionId: randomUUID(), dag: setDag(), input: {}, trigger: 'SCHEDULE' }],
    });
    const orphan = temporalId(randomUUID());
    const foreign = temporalId(randomUUID());
    const secondOrphan = temporalId(randomUUID());
    await harness.client.schedule.create({ scheduleId: orphan, spec: { cronExpressions: [YEARLY] }, action: action(harness.taskQueue) });
    await harness.client.schedule.create({ scheduleId: foreign, spec: { cronExpressions: [YEARLY] }, action: action(`other-${randomUUID()}`) });
    try {
      // Listing is eventually consistent: wait until Temporal lists both before the API looks.
      await eventually(async () => listedIds().then((ids) => ids.includes(orphan) && ids.includes(foreign)));

      const updatedAt = async (ids: string[]) =>
        Promise.all(ids.map(async (id) => (await describeSchedule(id)).info.lastUpdatedAt?.getTime() ?? null));
      const steadyUpdatedAt = await updatedAt([steady.id]);
      const restarted = await startTestApi({ db: harness.db, temporalAddress: harness.temporalAddress, taskQueue: harness.taskQueue });
      try {
        const restored = await eventually(() => harness.client.schedule.getHandle(temporalId(lost.id)).describe().catch(() => null));
        expect(restored.spec.calendars?.[0]).toMatchObject({ month: [{ start: 'JANUARY', end: 'JANUARY', step: 1 }] });
        expect((restored.action.args as ResponseData[])[0]).toMatchObject({ scheduleId: lost.id });
        await eventually(() => isGone(orphan));
        const repaired = await eventually(async () => {
          const description = await harness.client.schedule.getHandle(temporalId(drifted.id)).describe();
          return !description.state.paused && description;
        });
        expect(repaired.spec.timezone).toBe('America/New_York');
        expect(repaired.spec.calendars?.[0]).toMatchObject({
          minute: [{ start: 30, end: 30, step: 1 }],
          hour: [{ start: 6, end: 6, step: 1 }],
          dayOfWeek: [{ start: 'MONDAY', end: 'FRIDAY', step: 1 }],
        });
        // Another deployment's schedule (another task queue) is not an orphan of this one.
        expect((await harness.client.schedule.getHandle(foreign).describe()).scheduleId).toBe(foreign);
      } finally {
        await restarted.close();
      }

      // Idempotent: another start rewrites nothing. A pass handles the rows before the orphans, so once this
      // new orphan is gone the rows have been looked at.
      const before = await updatedAt([lost.id, drifted.id]);
      await harness.client.schedule.create({ scheduleId: secondOrphan, spec: { cronExpressions: [YEARLY] }, action: action(harness.taskQueue) });
      await eventually(async () => listedIds().then((ids) => ids.includes(secondOrphan)));
      const again = await startTestApi({ db: harness.db, temporalAddress: harness.temporalAddress, taskQueue: harness.taskQueue });
      try {
        await eventually(() => isGone(secondOrphan));
        expect(await updatedAt([lost.id, drifted.id])).toEqual(before);
        expect(await updatedAt([steady.id])).toEqual(steadyUpdatedAt);
      } finally {
        await again.close();
      }
    } finally {
      for (const id of [foreign, orphan, secondOrphan]) {
        await harness.client.schedule.getHandle(id).delete().catch(() => undefined);
      }
    }
  });
});
