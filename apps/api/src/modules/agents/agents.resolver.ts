import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { AgentVersionType } from './dtos/agent-version.type.js';
import { AgentType } from './dtos/agent.type.js';
import { CreateAgentInput } from './dtos/create-agent.input.js';
import { DagValidationType } from './dtos/dag-validation.type.js';
import { AgentsService } from './services/agents.service.js';
import { DagValidatorService } from './services/dag-validator.service.js';
import { RequirePermission } from '../identity/access/access-declaration.js';
import { Audited } from '../audit/audited.decorator.js';

/** Agents, their versions and the live pointer. */
@Resolver(() => AgentType)
export class AgentsResolver {
  constructor(
    private readonly agentsService: AgentsService,
    private readonly dagValidator: DagValidatorService,
  ) {}

  @RequirePermission('agents:read')
  @Query(() => [AgentType], { description: 'All agents, by name.' })
  agents(): Promise<AgentType[]> {
    return this.agentsService.list();
  }

  @RequirePermission('agents:read')
  @Query(() => AgentType, { description: 'One agent; NOT_FOUND when it does not exist.' })
  agent(@Args('id', { type: () => ID, description: "The agent's id." }) id: string): Promise<AgentType> {
    return this.agentsService.getById(id);
  }

  @RequirePermission('agents:read')
  @Query(() => DagValidationType, {
    description: "Checks a DAG as createAgent and publishAgentVersion would, without storing it: every problem with its path, for an editor to pin to the node or field it names.",
  })
  async validateDag(@Args('dag', { type: () => GraphQLJSON, description: 'The DAG to check (DAG format v1).' }) dag: unknown): Promise<DagValidationType> {
    const issues = await this.dagValidator.issuesOf(dag);
    return { valid: issues.length === 0, issues };
  }

  @Audited({ action: 'agent.create', targetType: 'agent', targetId: (_args, agent) => agent.id, metadata: (args) => ({ name: args.input.name }) })
  @RequirePermission('agents:write')
  @Mutation(() => AgentType, { description: 'Creates an agent whose version 1, holding `dag`, is live.' })
  createAgent(@Args('input', { description: 'The agent and its first DAG.' }) input: CreateAgentInput): Promise<AgentType> {
    return this.agentsService.create(input);
  }

  @Audited({ action: 'agent.publish_version', targetType: 'agent', targetId: (args) => args.agentId })
  @RequirePermission('agents:write')
  @Mutation(() => AgentType, { description: 'Publishes `dag` as the next version and makes it live.' })
  publishAgentVersion(
    @Args('agentId', { type: () => ID, description: 'The agent to publish a version of.' }) agentId: string,
    @Args('dag', {
      type: () => GraphQLJSON,
      description: 'The new DAG (DAG format v1); it is validated and its defaults applied.',
    })
    dag: unknown,
  ): Promise<AgentType> {
    return this.agentsService.publishVersion(agentId, dag);
  }

  @Audited({ action: 'agent.set_live_version', targetType: 'agent', targetId: (args) => args.agentId, metadata: (args) => ({ version: args.version }) })
  @RequirePermission('agents:write')
  @Mutation(() => AgentType, { description: 'Makes an existing version the one new runs use by default.' })
  setLiveVersion(
    @Args('agentId', { type: () => ID, description: 'The agent whose live version changes.' }) agentId: string,
    @Args('version', { type: () => Int, description: 'The number of one of its versions.' }) version: number,
  ): Promise<AgentType> {
    return this.agentsService.setLiveVersion(agentId, version);
  }

  @ResolveField(() => AgentVersionType, { nullable: true })
  liveVersion(@Parent() agent: AgentType): Promise<AgentVersionType | null> {
    return this.agentsService.findVersionById(agent.liveVersionId ?? null);
  }

  @ResolveField(() => [AgentVersionType])
  versions(@Parent() agent: AgentType): Promise<AgentVersionType[]> {
    return this.agentsService.listVersions(agent.id);
  }
}
