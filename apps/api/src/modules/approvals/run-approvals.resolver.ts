import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { Approval, Run } from '../../infrastructure/prisma/prisma-client.js';
import { RunType } from '../runs/dtos/run.type.js';
import { ApprovalType } from './dtos/approval.type.js';
import { ApprovalsService } from './services/approvals.service.js';

/** `Run.approvals`: every approval a run asked for, so its view can show and decide them. */
@Resolver(() => RunType)
export class RunApprovalsResolver {
  constructor(private readonly approvalsService: ApprovalsService) {}

  @ResolveField(() => [ApprovalType], { description: 'Every approval the run asked for, in every status, oldest first.' })
  approvals(@Parent() run: Run): Promise<Approval[]> {
    return this.approvalsService.listOfRun(run.id);
  }
}
