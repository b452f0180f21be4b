import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module.js';
import { RunsResolver } from './runs.resolver.js';
import { RunLauncherService } from './services/run-launcher.service.js';
import { RunsService } from './services/runs.service.js';

/** Runs: start/cancel (Postgres + Temporal) and read models. Exports `RunsService` for approvals. */
@Module({
  imports: [AgentsModule],
  providers: [RunsResolver, RunsService, RunLauncherService],
  exports: [RunsService],
})
export class RunsModule {}
