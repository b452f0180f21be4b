import { registerEnumType } from '@nestjs/graphql';
import { ScheduleOverlapPolicy } from '../../../infrastructure/prisma/prisma-client.js';

// The GraphQL enum reuses the database enum's values, which are Temporal's policy names.
registerEnumType(ScheduleOverlapPolicy, {
  name: 'ScheduleOverlapPolicy',
  description:
    "Temporal's overlap policy: what a fire does while the schedule's previous run is still going " +
    '(SKIP it, BUFFER_ONE or BUFFER_ALL until it ends, CANCEL_OTHER or TERMINATE_OTHER it, or ALLOW_ALL to run alongside).',
});

export { ScheduleOverlapPolicy };
