import { Module } from '@nestjs/common';
import { RateLimitModule } from '../../common/rate-limit/rate-limit.module.js';
import { AgentsModule } from '../agents/agents.module.js';
import { AgentRunsResolver } from './agent-runs.resolver.js';
import { NodeRunsResolver } from './node-runs.resolver.js';
import { RunsResolver } from './runs.resolver.js';
import { RunCommandsService } from './services/run-commands.service.js';
import { RunReconcilerService } from './services/run-reconciler.service.js';
import { RunRetryService } from './services/run-retry.service.js';
import { RunLauncher } from './services/run-launcher.service.js';
import { RunsService } from './services/runs.service.js';

/**
 * Runs: start/cancel/retry (Postgres + Temporal), read models, and the reconciler that records the outcome of
 * runs whose workflow closed without recording it. Exports `RunsService` for approvals and
 * `RunCommandsService` for webhooks.
 */
@Module({
  imports: [AgentsModule, RateLimitModule],
  providers: [
    RunsResolver,
    NodeRunsResolver,
    AgentRunsResolver,
    RunsService,
    RunCommandsService,
    RunRetryService,
    RunLauncher,
    RunReconcilerService,
  ],
  exports: [RunsService, RunCommandsService],
})
export class RunsModule {}
