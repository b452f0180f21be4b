import { Module } from '@nestjs/common';
import { RunEventsResolver } from './run-events.resolver.js';
import { RunEventsBus } from './services/run-events-bus.service.js';
import { RunEventsService } from './services/run-events.service.js';

/** Live run events: the `runEvents` and `runUpdated` subscriptions over one Postgres `LISTEN` connection. */
@Module({
  providers: [RunEventsResolver, RunEventsService, RunEventsBus],
})
export class RunEventsModule {}
