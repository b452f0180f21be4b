/**
 * `prepareSubflow`: pins the version a child run (a `subflow` node, a `forEach` body, an agent-backed
 * tool) will run, and checks the child's input before anything starts.
 */
import { ApplicationFailure } from '@temporalio/client';
import {
  validateRunInput,
  type DagActivities,
  type PreparedSubflow,
  type PrepareSubflowRequest,
  type ValidationIssue,
} from '@trellis/dag-interpreter';
import { readDag, type PrismaClient } from '@trellis/db';

/** Any RFC 4122-shaped UUID; ids that are not one cannot name an agent (and Postgres would reject them). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Builds the `prepareSubflow` activity over a Prisma client.
 *
 * The activity resolves `request.agent` (its `version`, else the agent's live version) and, when
 * `checkInput`, checks `input` (absent means `{}`, as the child run receives it) against the version's
 * `dag.inputSchema` (issue paths `input.…`); when `argumentsSchema` is given, against that too (paths
 * `arguments.…`, listed first). Input problems are a result (`ok: false`), not a failure, so an agent's
 * model can correct its arguments.
 *
 * The agent is looked up in the requesting run's workspace only (`request.workspaceId`, else the run
 * row's), so a DAG cannot start another workspace's agent by its id.
 *
 * @throws ApplicationFailure (non-retryable) of type `AgentNotFound` when the id is not a UUID or names
 *   no agent of the run's workspace, `AgentVersionNotFound` when the version (or a live version) does not exist; the message
 *   names the agent id.
 */
export function createSubflowActivities(deps: { prisma: PrismaClient }): Pick<DagActivities, 'prepareSubflow'> {
  const { prisma } = deps;
  return {
    async prepareSubflow(request: PrepareSubflowRequest): Promise<PreparedSubflow> {
      const { id, version: wanted } = request.agent;
      const workspaceId = request.workspaceId ?? (await workspaceOfRun(prisma, request.runId));
      // A run only ever starts agents of its own workspace; without a known workspace, none.
      const agent = UUID.test(id) && workspaceId !== undefined
        ? await prisma.agent.findUnique({ where: { id, workspaceId }, select: { id: true, liveVersionId: true } })
        : null;
      if (!agent) throw ApplicationFailure.nonRetryable(`Agent ${id} does not exist`, 'AgentNotFound');

      const version =
        wanted !== undefined
          ? await prisma.agentVersion.findUnique({ where: { agentId_version: { agentId: agent.id, version: wanted } } })
          : agent.liveVersionId === null
            ? null
            : await prisma.agentVersion.findUnique({ where: { id: agent.liveVersionId } });
      if (!version) {
        const which = wanted !== undefined ? `version ${wanted}` : 'a live version';
        throw ApplicationFailure.nonRetryable(`Agent ${id} has no ${which}`, 'AgentVersionNotFound');
      }
      // Stored versions passed `validateDag` (defaults applied) when they were published.
      const dag = readDag(version);

      const input = request.input ?? {};
      const argumentIssues = request.argumentsSchema ? renameRoot(validateRunInput(request.argumentsSchema, input)) : [];
      const inputIssues = request.checkInput ? validateRunInput(dag.inputSchema, input) : [];
      if (argumentIssues.length > 0 || inputIssues.length > 0) {
        const schema = `the input schema of agent ${id} version ${version.version}`;
        const message =
          inputIssues.length === 0
            ? "Arguments do not match the tool's parameters"
            : argumentIssues.length === 0
              ? `Input does not match ${schema}`
              : `Arguments do not match the tool's parameters nor ${schema}`;
        return { ok: false, message, issues: [...argumentIssues, ...inputIssues] };
      }
      return { ok: true, agentId: agent.id, agentVersionId: version.id, version: version.version, dag };
    },
  };
}

/**
 * Moves issues reported by `validateRunInput` from its `input` / `inputSchema` roots to `arguments` /
 * `argumentsSchema`, so they say what the caller sent.
 */
function renameRoot(issues: ValidationIssue[]): ValidationIssue[] {
  return issues.map((issue) => ({
    ...issue,
    path: issue.path.replace(/^input(Schema)?(?=$|[.[])/, (_match, schema?: string) => (schema ? 'argumentsSchema' : 'arguments')),
  }));
}

/** The workspace of the run asking for a child, read from its row (runs whose input predates workspaces). */
async function workspaceOfRun(prisma: PrismaClient, runId: string | undefined): Promise<string | undefined> {
  if (runId === undefined || !UUID.test(runId)) return undefined;
  const run = await prisma.run.findUnique({ where: { id: runId }, select: { workspaceId: true } });
  return run?.workspaceId;
}
