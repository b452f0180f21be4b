import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module.js';
import { NodeRunsResolver } from './node-runs.resolver.js';
import { RunsResolver } from './runs.resolver.js';
import { RunLauncherService } from './services/run-launcher.service.js';
import { RunReconcilerService } from './services/run-reconciler.service.js';
import { RunRetryService } from './services/run-retry.service.js';
import { RunWorkflowStarter } from './services/run-workflow-starter.service.js';
import { RunsService } from './services/runs.service.js';

/**
 * Runs: start/cancel/retry (Postgres + Temporal), read models, and the reconciler that records the outcome of
 * runs whose workflow closed without recording it. Exports `RunsService` for approvals and
 * `RunLauncherService` for webhooks.
 */
@Module({
  imports: [AgentsModule],
  providers: [
    RunsResolver,
    NodeRunsResolver,
    RunsService,
    RunLauncherService,
    RunRetryService,
    RunWorkflowStarter,
    RunReconcilerService,
  ],
  exports: [RunsService, RunLauncherService],
})
export class RunsModule {}
