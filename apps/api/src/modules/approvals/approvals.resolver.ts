import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Approval, Run } from '../../infrastructure/prisma/prisma-client.js';
import { RunType } from '../runs/dtos/run.type.js';
import { RunsService } from '../runs/services/runs.service.js';
import { ApprovalStatus } from './dtos/approval-status.enum.js';
import { ApprovalType } from './dtos/approval.type.js';
import { ApprovalsService } from './services/approvals.service.js';

/** Human approvals: the queue and the decision. */
@Resolver(() => ApprovalType)
export class ApprovalsResolver {
  constructor(
    private readonly approvalsService: ApprovalsService,
    private readonly runsService: RunsService,
  ) {}

  @Query(() => [ApprovalType], { description: 'Approvals in a status (default PENDING), oldest first.' })
  approvals(
    @Args('status', { type: () => ApprovalStatus, defaultValue: ApprovalStatus.PENDING }) status: ApprovalStatus,
    @Args('first', { type: () => Int, defaultValue: 100, description: 'At most this many, 1–500.' }) first: number,
  ): Promise<Approval[]> {
    return this.approvalsService.list(status, first);
  }

  @Mutation(() => ApprovalType, {
    description: 'Approves or rejects a PENDING approval and resumes its run; CONFLICT when already decided.',
  })
  decideApproval(
    @Args('id', { type: () => ID }) id: string,
    @Args('approve', { type: () => Boolean }) approve: boolean,
    @Args('comment', { type: () => String, nullable: true }) comment: string | null,
  ): Promise<Approval> {
    return this.approvalsService.decide(id, approve, comment);
  }

  @ResolveField(() => RunType)
  run(@Parent() approval: Approval): Promise<Run> {
    return this.runsService.getById(approval.runId);
  }
}
