import { Inject, Injectable } from '@nestjs/common';
import { planRetry, type RecordedNode } from '@trellis/dag-interpreter';
import { TrellisException } from '../../../common/exceptions/trellis-exception.js';
import {
  readDag,
  type NodeRun,
  PRISMA,
  type Run,
  RunStatus,
  RunTrigger,
  type TrellisPrismaClient,
} from '../../../infrastructure/prisma/prisma-client.js';
import { RunLauncher } from './run-launcher.service.js';
import { RunsService } from './runs.service.js';

/** Only runs that ended without succeeding can be retried. */
const RETRYABLE_STATUSES: ReadonlySet<RunStatus> = new Set([RunStatus.FAILED, RunStatus.CANCELLED]);

/** Arguments of {@link RunRetryService.retry}. */
export interface RetryRunRequest {
  /** The FAILED or CANCELLED run to retry. */
  id: string;
  /** A node id of the run's DAG to re-execute from (with everything downstream), even if it succeeded. */
  fromNode?: string | null;
}

/**
 * `retryRun`: starts a new run of the same version and input that reuses the recorded outputs of the
 * earlier run's succeeded nodes and re-executes only from the failed nodes (or `fromNode`) onward.
 */
@Injectable()
export class RunRetryService {
  constructor(
    @Inject(PRISMA) private readonly prisma: TrellisPrismaClient,
    private readonly runs: RunsService,
    private readonly launcher: RunLauncher,
  ) {}

  /**
   * Plans the retry with `planRetry` over the earlier run's `node_runs` rows, then stores the new run
   * (trigger RETRY, `retryOfRunId` = `id`, same version and input) and starts its workflow with the
   * reused outputs. Retrying the same run twice starts two independent retries.
   *
   * @returns the new RUNNING run
   * @throws TrellisException `BAD_USER_INPUT` (malformed `id`; `fromNode` not a node of the version's DAG,
   *   path `fromNode`), `NOT_FOUND` (unknown run), `CONFLICT` (the run is not FAILED or CANCELLED; the
   *   message names its status); Temporal client errors when the workflow cannot be started (nothing is stored)
   */
  async retry(request: RetryRunRequest): Promise<Run> {
    const { previous, dag, plan } = await this.plan(request);
    return this.launcher.launch({
      agentId: previous.agentId,
      agentVersionId: previous.agentVersionId,
      dag,
      input: previous.input,
      trigger: RunTrigger.RETRY,
      retryOfRunId: previous.id,
      reuse: plan.reuse,
    });
  }

  /**
   * What {@link retry} would do, without starting anything: every node of the DAG in order, with whether
   * the new run reuses its recorded output or runs it again, and whether running it again has effects
   * outside Trellis (`http`, `llm`, `agent`, `code`).
   *
   * @throws TrellisException as {@link retry}
   */
  async preview(request: RetryRunRequest): Promise<RetryPreviewNode[]> {
    const { dag, plan } = await this.plan(request);
    return dag.nodes.map((node) => {
      const reused = node.id in plan.reuse;
      return { nodeId: node.id, type: node.type, reused, sideEffects: !reused && SIDE_EFFECT_TYPES.has(node.type) };
    });
  }

  private async plan(request: RetryRunRequest) {
    const previous = await this.runs.getById(request.id, 'id');
    if (!RETRYABLE_STATUSES.has(previous.status)) {
      throw TrellisException.conflict(
        `Run ${previous.id} is ${previous.status}; only FAILED or CANCELLED runs can be retried`,
      );
    }
    const [version, rows] = await Promise.all([
      this.runs.versionOf(previous),
      this.prisma.nodeRun.findMany({ where: { runId: previous.id } }),
    ]);
    const dag = readDag(version);
    const fromNode = request.fromNode ?? undefined;
    if (fromNode !== undefined && !dag.nodes.some((node) => node.id === fromNode)) {
      throw TrellisException.badUserInput('Invalid argument fromNode', [
        { path: 'fromNode', message: `"${fromNode}" is not a node of version ${version.version} of the run's agent` },
      ]);
    }
    return { previous, dag, plan: planRetry(dag, rows.map(toRecordedNode), fromNode) };
  }
}

/** Node types whose execution reaches outside Trellis (requests, model calls, tools, code with its own I/O). */
const SIDE_EFFECT_TYPES: ReadonlySet<string> = new Set(['http', 'llm', 'agent', 'code']);

/** One node of a retry preview. */
export interface RetryPreviewNode {
  nodeId: string;
  type: string;
  /** True when the new run takes the recorded output instead of running the node. */
  reused: boolean;
  /** True when the node runs again and has effects outside Trellis. */
  sideEffects: boolean;
}

/** A stored node row as `planRetry` reads it; only the compensation's status matters to the plan. */
function toRecordedNode(row: NodeRun): RecordedNode {
  const compensation = row.compensation;
  const compensationStatus =
    typeof compensation === 'object' && compensation !== null && !Array.isArray(compensation)
      ? (compensation as Record<string, unknown>).status
      : undefined;
  return {
    nodeId: row.nodeId,
    status: row.status,
    output: row.output,
    attempts: row.attempts,
    compensation: typeof compensationStatus === 'string' ? { status: compensationStatus } : null,
  };
}
