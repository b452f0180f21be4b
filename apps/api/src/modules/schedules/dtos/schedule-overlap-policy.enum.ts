import { registerEnumType } from '@nestjs/graphql';
import { ScheduleOverlapPolicy } from '../../../infrastructure/prisma/prisma-client.js';

// The GraphQL enum reuses the database enum's values, which are Temporal's policy names.
registerEnumType(ScheduleOverlapPolicy, {
  name: 'ScheduleOverlapPolicy',
  description: "Temporal's overlap policy: what a fire does while the schedule's previous run is still going.",
  valuesMap: {
    SKIP: { description: 'Starts nothing: the fire is dropped.' },
    BUFFER_ONE: {
      description: 'Starts the run when the previous one ends; at most one fire waits, later ones are dropped.',
    },
    BUFFER_ALL: { description: 'Starts the runs one after another as the previous ones end; every fire waits.' },
    CANCEL_OTHER: { description: 'Cancels the previous run, then starts the new one once it has stopped.' },
    TERMINATE_OTHER: { description: 'Terminates the previous run, then starts the new one.' },
    ALLOW_ALL: { description: 'Starts the run alongside the previous ones.' },
  },
});

export { ScheduleOverlapPolicy };
