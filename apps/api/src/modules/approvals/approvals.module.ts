import { Module } from '@nestjs/common';
import { RunsModule } from '../runs/runs.module.js';
import { ApprovalsResolver } from './approvals.resolver.js';
import { RunApprovalsResolver } from './run-approvals.resolver.js';
import { ApprovalDecisionController } from './decision-links/approval-decision.controller.js';
import { ApprovalsService } from './services/approvals.service.js';
import { DecisionLinksService } from './services/decision-links.service.js';

/** Human approvals: the inbox, decisions, and signed decision links (`/approvals/:id/decision`). */
@Module({
  imports: [RunsModule],
  controllers: [ApprovalDecisionController],
  providers: [ApprovalsResolver, RunApprovalsResolver, ApprovalsService, DecisionLinksService],
})
export class ApprovalsModule {}
