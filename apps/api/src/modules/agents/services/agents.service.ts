import { Inject, Injectable } from '@nestjs/common';
import { TrellisException } from '../../../common/exceptions/trellis-exception.js';
import { isUniqueConstraintViolation } from '../../../common/prisma/prisma-errors.js';
import { assertIntInRange, assertUuid, requireText } from '../../../common/validation/argument-guards.js';
import {
  type Agent,
  type AgentVersion,
  PRISMA,
  type PrismaJson,
  type TrellisPrismaClient,
} from '../../../infrastructure/prisma/prisma-client.js';
import { scopedWorkspaceId } from '../../../infrastructure/prisma/workspace-scope.js';
import { principalLabel } from '../../identity/access/principal.js';
import { currentRequestContext } from '../../identity/access/request-context.js';
import type { CreateAgentInput } from '../dtos/create-agent.input.js';
import { DagValidatorService } from './dag-validator.service.js';

/** Longest agent name, in UTF-16 code units. */
const MAX_NAME_LENGTH = 200;
/** Longest agent description, in UTF-16 code units. */
const MAX_DESCRIPTION_LENGTH = 2_000;

/**
 * Agents and their immutable versions. Every write validates first and then runs in one transaction,
 * so a rejected request stores nothing.
 */
@Injectable()
export class AgentsService {
  /** Called after an agent's live version changed (see {@link onLiveVersionChange}). */
  private readonly liveVersionListeners: ((agentId: string) => Promise<void>)[] = [];

  constructor(
    @Inject(PRISMA) private readonly prisma: TrellisPrismaClient,
    private readonly dagValidator: DagValidatorService,
  ) {}

  /**
   * Registers `listener` to run after `publishVersion` and `setLiveVersion` have committed, before they
   * return (schedules use it to re-point their Temporal action). Its rejections are ignored: it logs its own.
   */
  onLiveVersionChange(listener: (agentId: string) => Promise<void>): void {
    this.liveVersionListeners.push(listener);
  }

  /** All agents, by name. */
  list(): Promise<Agent[]> {
    return this.prisma.agent.findMany({ orderBy: { name: 'asc' } });
  }

  /**
   * @param argumentName the GraphQL argument `id` came from, used as the issue path
   * @throws TrellisException `BAD_USER_INPUT` for a malformed id, `NOT_FOUND` for an unknown agent
   */
  async getById(id: string, argumentName = 'id'): Promise<Agent> {
    assertUuid(id, argumentName);
    const agent = await this.prisma.agent.findUnique({ where: { id } });
    if (!agent) throw TrellisException.notFound('Agent', id);
    return agent;
  }

  /** The version an agent's `liveVersionId` points at, or null. */
  async findVersionById(versionId: string | null): Promise<AgentVersion | null> {
    if (!versionId) return null;
    return this.prisma.agentVersion.findUnique({ where: { id: versionId } });
  }

  /** An agent's versions, oldest first. */
  listVersions(agentId: string): Promise<AgentVersion[]> {
    return this.prisma.agentVersion.findMany({ where: { agentId }, orderBy: { version: 'asc' } });
  }

  /**
   * Creates an agent with version 1 (the validated `dag`) as its live version.
   *
   * @throws TrellisException `BAD_USER_INPUT` for a bad name, description or DAG; `CONFLICT` when the name is taken
   */
  async create(input: CreateAgentInput): Promise<Agent> {
    const name = requireText(input.name, 'name', MAX_NAME_LENGTH);
    // A blank description is stored as no description.
    const description = input.description?.trim() || null;
    if (description !== null && description.length > MAX_DESCRIPTION_LENGTH) {
      throw TrellisException.badUserInput('Invalid argument description', [
        { path: 'description', message: `must be at most ${MAX_DESCRIPTION_LENGTH} characters` },
      ]);
    }
    const { dag, secretNames } = await this.dagValidator.parse(input.dag);
    try {
      return await this.prisma.$transaction(async (tx) => {
        const agent = await tx.agent.create({ data: { name, description } });
        const version = await tx.agentVersion.create({
          data: { agentId: agent.id, version: 1, dag: dag as PrismaJson, secretNames, publishedBy: publisher() },
        });
        return tx.agent.update({ where: { id: agent.id }, data: { liveVersionId: version.id } });
      });
    } catch (error) {
      // `name` is the only unique column a new agent can clash on; the constraint also settles races.
      if (isUniqueConstraintViolation(error)) throw TrellisException.conflict(`An agent named "${name}" already exists`);
      throw error;
    }
  }

  /**
   * Stores `dag` as the agent's next version (highest + 1) and makes it live. The agent row is locked
   * (`SELECT … FOR UPDATE`) so concurrent publishes get distinct, consecutive numbers.
   *
   * @returns the agent, with its new live version
   * @throws TrellisException `BAD_USER_INPUT` for a bad DAG or id, `NOT_FOUND` for an unknown agent
   */
  async publishVersion(agentId: string, rawDag: unknown): Promise<Agent> {
    assertUuid(agentId, 'agentId');
    const { dag, secretNames } = await this.dagValidator.parse(rawDag);
    const agent = await this.prisma.$transaction(async (tx) => {
      // Raw SQL escapes the workspace-scope extension: filter by hand (null under the system scope).
      const workspaceId = scopedWorkspaceId('agents row lock');
      const locked = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM agents
        WHERE id = ${agentId}::uuid AND (${workspaceId}::uuid IS NULL OR workspace_id = ${workspaceId}::uuid)
        FOR UPDATE`;
      if (locked.length === 0) throw TrellisException.notFound('Agent', agentId);
      const latest = await tx.agentVersion.aggregate({ where: { agentId }, _max: { version: true } });
      const version = await tx.agentVersion.create({
        data: { agentId, version: (latest._max.version ?? 0) + 1, dag: dag as PrismaJson, secretNames, publishedBy: publisher() },
      });
      return tx.agent.update({ where: { id: agentId }, data: { liveVersionId: version.id } });
    });
    await this.liveVersionChanged(agentId);
    return agent;
  }

  /**
   * Points the agent's live version at an existing version number.
   *
   * @throws TrellisException `BAD_USER_INPUT` for a bad id or version, `NOT_FOUND` for an unknown agent or version
   */
  async setLiveVersion(agentId: string, versionNumber: number): Promise<Agent> {
    assertIntInRange(versionNumber, 'version', 1, 2_147_483_647);
    const agent = await this.getById(agentId, 'agentId');
    const version = await this.prisma.agentVersion.findUnique({
      where: { agentId_version: { agentId: agent.id, version: versionNumber } },
    });
    if (!version) throw TrellisException.notFound(`Version ${versionNumber} of agent`, agentId);
    const updated = await this.prisma.agent.update({ where: { id: agent.id }, data: { liveVersionId: version.id } });
    await this.liveVersionChanged(agent.id);
    return updated;
  }

  private async liveVersionChanged(agentId: string): Promise<void> {
    await Promise.allSettled(this.liveVersionListeners.map((listener) => listener(agentId)));
  }
}

/** The request's principal as a version's `publishedBy`; null outside a request (seeding scripts). */
function publisher(): string | null {
  const principal = currentRequestContext()?.principal;
  return principal ? principalLabel(principal) : null;
}
