import { RunFilterInput } from './dtos/run-filter.input.js';
import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { ErrorInfoType, toErrorInfo } from '../../common/graphql/error-info.type.js';
import type { Agent, AgentVersion, Run } from '../../infrastructure/prisma/prisma-client.js';
import { AgentVersionType } from '../agents/dtos/agent-version.type.js';
import { AgentType } from '../agents/dtos/agent.type.js';
import { NodeRunType } from './dtos/node-run.type.js';
import { RunConnectionType } from './dtos/run-connection.type.js';
import { RunStatus } from './dtos/run-enums.js';
import { RunType } from './dtos/run.type.js';
import { RunCommandsService } from './services/run-commands.service.js';
import { RunRetryService } from './services/run-retry.service.js';
import { DEFAULT_CHILD_RUNS_LIMIT, MAX_CHILD_RUNS_LIMIT, RunsService } from './services/runs.service.js';
import { RequirePermission } from '../identity/access/access-declaration.js';
import { Audited } from '../audit/audited.decorator.js';
import { RetryPlanNodeType } from './dtos/retry-plan.type.js';
import { Inject } from '@nestjs/common';
import { DEFAULT_PREVIEW_BYTES, JsonPreviewType, MAX_PREVIEW_BYTES, previewField } from '../../common/graphql/json-preview.type.js';
import { API_CONFIG, type ApiConfig } from '../../infrastructure/config/api-config.js';

/** Runs: start, cancel, retry, inspect, list. */
@Resolver(() => RunType)
export class RunsResolver {
  constructor(
    private readonly runsService: RunsService,
    private readonly commands: RunCommandsService,
    private readonly retrier: RunRetryService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  @RequirePermission('runs:read')
  @Query(() => RunType, { description: 'One run; NOT_FOUND when it does not exist.' })
  run(@Args('id', { type: () => ID, description: "The run's id." }) id: string): Promise<Run> {
    return this.runsService.getById(id);
  }

  @RequirePermission('runs:read')
  @Query(() => RunConnectionType, { description: 'Runs, newest first (startedAt desc, id desc).' })
  async runs(
    @Args('agentId', { type: () => ID, nullable: true, description: "Only this agent's runs." }) agentId: string | null,
    @Args('status', { type: () => RunStatus, nullable: true, description: 'Only runs in this status.' })
    status: RunStatus | null,
    @Args('parentRunId', {
      type: () => ID,
      nullable: true,
      description: "Only the runs started by this run's subflow nodes and agent tools.",
    })
    parentRunId: string | null,
    @Args('first', { type: () => Int, nullable: true, description: 'Page size, 1–100 (default 20).' })
    first: number | null,
    @Args('after', {
      type: () => String,
      nullable: true,
      description: "Start after this cursor (the previous page's `pageInfo.endCursor`); absent starts from the newest run.",
    })
    after: string | null,
    @Args('filter', { type: () => RunFilterInput, nullable: true, description: 'More filters, ANDed with the arguments above.' })
    filter: RunFilterInput | null,
  ): Promise<RunConnectionType> {
    const page = await this.runsService.list({ agentId, status, parentRunId, first, after, filter });
    return {
      nodes: page.edges.map((edge) => edge.node),
      edges: page.edges,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.edges.at(-1)?.cursor ?? null },
      totalCount: page.totalCount,
    };
  }

  @Audited({ action: 'run.start', targetType: 'run', targetId: (_args, run) => run.id, metadata: (args) => ({ agentId: args.agentId }) })
  @RequirePermission('runs:start')
  @Mutation(() => RunType, {
    description:
      'Starts a run of the agent (its live version unless `version` is given). ' +
      'The same `idempotencyKey` for the same agent returns the same run.',
  })
  startRun(
    @Args('agentId', { type: () => ID, description: 'The agent to run.' }) agentId: string,
    @Args('input', {
      type: () => GraphQLJSON,
      nullable: true,
      description: "The run's input, checked against the version's `inputSchema`; default `{}`.",
    })
    input: unknown,
    @Args('version', {
      type: () => Int,
      nullable: true,
      description: 'The version number to run; default the live version.',
    })
    version: number | null,
    @Args('idempotencyKey', {
      type: () => String,
      nullable: true,
      description:
        'Up to 200 characters after trimming; a key already used for this agent returns its run instead of starting one.',
    })
    idempotencyKey: string | null,
  ): Promise<Run> {
    return this.commands.start({ agentId, input, version, idempotencyKey });
  }

  @Audited({ action: 'run.cancel', targetType: 'run', targetId: (args) => args.id })
  @RequirePermission('runs:cancel')
  @Mutation(() => RunType, { description: 'Requests cancellation; the run becomes CANCELLED once its workflow stops.' })
  cancelRun(@Args('id', { type: () => ID, description: 'The RUNNING or WAITING run to cancel.' }) id: string): Promise<Run> {
    return this.commands.cancel(id);
  }

  @Audited({ action: 'run.retry', targetType: 'run', targetId: (_args, run) => run.id, metadata: (args) => ({ retryOf: args.id, fromNode: args.fromNode ?? null }) })
  @RequirePermission('runs:retry')
  @Mutation(() => RunType, {
    description:
      "Starts a new run of a FAILED or CANCELLED run's version and input that reuses the outputs of the nodes " +
      'that succeeded and re-executes from the failed nodes (or `fromNode`) onward. The new run has trigger ' +
      'RETRY and `retryOf` set. CONFLICT for runs in any other status.',
  })
  retryRun(
    @Args('id', { type: () => ID, description: 'The FAILED or CANCELLED run to retry.' }) id: string,
    @Args('fromNode', {
      type: () => String,
      nullable: true,
      description: 'A node id of the DAG to re-execute from (with everything downstream), even if it succeeded.',
    })
    fromNode: string | null,
  ): Promise<Run> {
    return this.retrier.retry({ id, fromNode });
  }

  @RequirePermission('runs:read')
  @Query(() => [RetryPlanNodeType], {
    description:
      'What `retryRun` with the same arguments would do, without starting it: every node in DAG order, reused or run ' +
      'again, and whether running it again reaches outside Trellis.',
  })
  retryPlan(
    @Args('id', { type: () => ID, description: 'The FAILED or CANCELLED run.' }) id: string,
    @Args('fromNode', { type: () => String, nullable: true, description: 'As for `retryRun`.' }) fromNode: string | null,
  ): Promise<RetryPlanNodeType[]> {
    return this.retrier.preview({ id, fromNode });
  }

  @ResolveField(() => RunType, {
    nullable: true,
    description: 'The run whose subflow node or agent tool started this one.',
  })
  parentRun(@Parent() run: Run): Promise<Run | null> {
    return this.runsService.findLinked(run.parentRunId);
  }

  @ResolveField(() => RunType, { nullable: true, description: 'The run this one retries (`retryRun`).' })
  retryOf(@Parent() run: Run): Promise<Run | null> {
    return this.runsService.findLinked(run.retryOfRunId);
  }

  @ResolveField(() => [RunType], {
    description: "Runs started by this run's subflow nodes and agent tools, oldest first (startedAt).",
  })
  childRuns(
    @Parent() run: Run,
    @Args('first', {
      type: () => Int,
      defaultValue: DEFAULT_CHILD_RUNS_LIMIT,
      description: `At most this many, 1–${MAX_CHILD_RUNS_LIMIT}.`,
    })
    first: number,
  ): Promise<Run[]> {
    return this.runsService.childRunsOf(run, first);
  }

  @ResolveField(() => AgentType, { description: 'The agent the run belongs to.' })
  agent(@Parent() run: Run): Promise<Agent> {
    return this.runsService.agentOf(run);
  }

  @ResolveField(() => AgentVersionType, { description: 'The version the run executes.' })
  agentVersion(@Parent() run: Run): Promise<AgentVersion> {
    return this.runsService.versionOf(run);
  }

  @ResolveField(() => ErrorInfoType, { nullable: true, description: 'What failed the run; null unless it FAILED.' })
  error(@Parent() run: Run): ErrorInfoType | null {
    return toErrorInfo(run.error);
  }

  @ResolveField(() => [NodeRunType], { description: 'Every node of the DAG, in DAG order.' })
  nodes(@Parent() run: Run): Promise<NodeRunType[]> {
    return this.runsService.listNodes(run);
  }

  @ResolveField(() => NodeRunType, { nullable: true, description: 'One node of the run, by its id in the DAG; null for an id the DAG does not have.' })
  async node(@Parent() run: Run, @Args('nodeId', { type: () => String, description: "The node's id." }) nodeId: string): Promise<NodeRunType | null> {
    return (await this.runsService.listNodes(run)).find((node) => node.nodeId === nodeId) ?? null;
  }

  @ResolveField(() => JsonPreviewType, { nullable: true, description: "The start of `output`, for values too large to fetch whole; null when there is no output." })
  outputPreview(
    @Parent() run: Run,
    @Args('maxBytes', { type: () => Int, defaultValue: DEFAULT_PREVIEW_BYTES, description: `Longest preview (bytes), 1–${MAX_PREVIEW_BYTES}.` })
    maxBytes: number,
  ): JsonPreviewType | null {
    return previewField(run.output, maxBytes);
  }

  @ResolveField(() => String, {
    nullable: true,
    description: "The run's workflow in the Temporal UI (`TRELLIS_TEMPORAL_UI_URL`); null when that is not configured or the run has no workflow.",
  })
  temporalUiUrl(@Parent() run: Run): string | null {
    const base = this.config.temporalUiUrl;
    if (!base) return null;
    // A run's workflow id is its own id unless a Temporal Schedule chose another.
    return `${base}/namespaces/${encodeURIComponent(this.config.temporalNamespace)}/workflows/${encodeURIComponent(run.workflowId ?? run.id)}`;
  }
}
