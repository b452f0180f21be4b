import { Module } from '@nestjs/common';
import { RunsModule } from '../runs/runs.module.js';
import { ApprovalsResolver } from './approvals.resolver.js';
import { ApprovalsService } from './services/approvals.service.js';

/** Human approvals: listing and deciding. */
@Module({
  imports: [RunsModule],
  providers: [ApprovalsResolver, ApprovalsService],
})
export class ApprovalsModule {}
