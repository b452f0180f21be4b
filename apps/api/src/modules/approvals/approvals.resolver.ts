import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { TrellisException } from '../../common/exceptions/trellis-exception.js';
import { type Approval, ApprovalStatus as Status, type Run } from '../../infrastructure/prisma/prisma-client.js';
import { RunType } from '../runs/dtos/run.type.js';
import { RunsService } from '../runs/services/runs.service.js';
import { ApprovalStatus } from './dtos/approval-status.enum.js';
import { ApprovalType } from './dtos/approval.type.js';
import { ApprovalsService } from './services/approvals.service.js';
import { DecisionLinksService } from './services/decision-links.service.js';
import { RequirePermission } from '../identity/access/access-declaration.js';
import { Audited } from '../audit/audited.decorator.js';
import { currentPrincipal } from '../identity/access/current-caller.js';

/** Human approvals: the inbox, the decision and decision links. */
@Resolver(() => ApprovalType)
export class ApprovalsResolver {
  constructor(
    private readonly approvalsService: ApprovalsService,
    private readonly runsService: RunsService,
    private readonly links: DecisionLinksService,
  ) {}

  @RequirePermission('approvals:read')
  @Query(() => [ApprovalType], {
    description: 'Approvals in a status (default PENDING: the ones that can still be decided), oldest first.',
  })
  approvals(
    @Args('status', {
      type: () => ApprovalStatus,
      defaultValue: ApprovalStatus.PENDING,
      description: 'The status to list; PENDING leaves out approvals whose run has ended.',
    })
    status: ApprovalStatus,
    @Args('first', { type: () => Int, defaultValue: 100, description: 'At most this many, 1–500.' }) first: number,
    @Args('assignee', { type: () => String, nullable: true, description: 'Only approvals assigned to this identity.' })
    assignee: string | null,
    @Args('mine', { type: () => Boolean, defaultValue: false, description: 'Only approvals the caller may decide (assignees, self-approval).' })
    mine: boolean,
  ): Promise<Approval[]> {
    return this.approvalsService.list(status, first, assignee, mine ? currentPrincipal() : null);
  }

  @Audited({ action: 'approval.decide', targetType: 'approval', targetId: (args) => args.id, metadata: (args) => ({ approve: args.approve }) })
  @RequirePermission('approvals:decide')
  @Mutation(() => ApprovalType, {
    description:
      'Approves or rejects a PENDING approval and resumes its run. Repeating the recorded decision returns it ' +
      'unchanged; another decision, a timed-out approval or an ended run is a CONFLICT. `values` must match the ' +
      "approval's `form`.",
  })
  decideApproval(
    @Args('id', { type: () => ID, description: "The approval's id." }) id: string,
    @Args('approve', { type: () => Boolean, description: 'True approves, false rejects.' }) approve: boolean,
    @Args('comment', { type: () => String, nullable: true, description: "The approver's comment, up to 2,000 characters." })
    comment: string | null,
    @Args('values', {
      type: () => GraphQLJSON,
      nullable: true,
      description: "The fields of the approval's `form`, as an object valid against it; not allowed without a form.",
    })
    values: unknown,
  ): Promise<Approval> {
    return this.approvalsService.decide({ id, approve, comment, values, decider: { kind: 'principal', principal: currentPrincipal() } });
  }

  @Audited({ action: 'approval.create_link', targetType: 'approval', targetId: (args) => args.id })
  @RequirePermission('approvals:decide')
  @Mutation(() => String, {
    description:
      'A signed, single-use decision URL for a PENDING approval (GET shows it, POST decides), valid until the ' +
      "approval's dueAt, or for 7 days from now when it has none.",
  })
  async createApprovalLink(@Args('id', { type: () => ID, description: "The approval's id." }) id: string): Promise<string> {
    const approval = await this.approvalsService.getById(id);
    const reason = await this.approvalsService.closedReasonOf(approval);
    if (reason) throw TrellisException.conflict(`Approval ${id} can no longer be decided: ${reason}`);
    return this.links.urlFor(approval, new Date());
  }

  @ResolveField(() => RunType, { description: 'The run whose node waits for this approval.' })
  run(@Parent() approval: Approval): Promise<Run> {
    return this.runsService.getById(approval.runId);
  }

  @ResolveField(() => Date, { description: 'When the approval was requested (its node started waiting).' })
  requestedAt(@Parent() approval: Approval): Date {
    return approval.createdAt;
  }

  @ResolveField(() => String, {
    nullable: true,
    description: 'Why the approval can no longer be decided ("the run was cancelled"…); null while it can.',
  })
  closedReason(@Parent() approval: Approval): Promise<string | null> {
    return this.approvalsService.closedReasonOf(approval);
  }

  @ResolveField(() => String, {
    nullable: true,
    description:
      'A signed, single-use decision URL, valid until dueAt (or 7 days after requestedAt); null once the ' +
      'approval is decided or timed out. `createApprovalLink` issues a fresh one.',
  })
  decisionUrl(@Parent() approval: Approval): string | null {
    return approval.status === Status.PENDING ? this.links.urlFor(approval, approval.createdAt) : null;
  }
}

