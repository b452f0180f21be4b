import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module.js';
import { NodeRunsResolver } from './node-runs.resolver.js';
import { RunsResolver } from './runs.resolver.js';
import { RunLauncherService } from './services/run-launcher.service.js';
import { RunRetryService } from './services/run-retry.service.js';
import { RunWorkflowStarter } from './services/run-workflow-starter.service.js';
import { RunsService } from './services/runs.service.js';

/** Runs: start/cancel/retry (Postgres + Temporal) and read models. Exports `RunsService` for approvals. */
@Module({
  imports: [AgentsModule],
  providers: [RunsResolver, NodeRunsResolver, RunsService, RunLauncherService, RunRetryService, RunWorkflowStarter],
  exports: [RunsService],
})
export class RunsModule {}
