import { Module } from '@nestjs/common';
import { AgentsResolver } from './agents.resolver.js';
import { AgentsService } from './services/agents.service.js';
import { DagValidatorService } from './services/dag-validator.service.js';
import { NodeTypesModule } from '../node-types/node-types.module.js';

/** Agents and versions: create, publish, live pointer. Exports `AgentsService` for runs. */
@Module({
  imports: [NodeTypesModule],
  providers: [AgentsResolver, AgentsService, DagValidatorService],
  exports: [AgentsService],
})
export class AgentsModule {}
