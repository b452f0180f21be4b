import { registerEnumType } from '@nestjs/graphql';
import { NodeStatus, RunStatus, RunTrigger } from '../../../infrastructure/prisma/prisma-client.js';

// The GraphQL enums reuse the database enums' values, so rows map onto them without translation.
registerEnumType(RunStatus, {
  name: 'RunStatus',
  description: 'Lifecycle of a run.',
  valuesMap: {
    RUNNING: { description: 'The workflow is executing nodes.' },
    WAITING: { description: 'At least one node waits for a human approval.' },
    SUCCEEDED: { description: 'Every node settled and the output was computed.' },
    FAILED: { description: 'A node or the output failed the run (after any compensation); see `error`.' },
    CANCELLED: {
      description: "The run's workflow was cancelled before it finished (`cancelRun`, or a schedule's CANCEL_OTHER policy).",
    },
  },
});
registerEnumType(NodeStatus, {
  name: 'NodeStatus',
  description: 'Lifecycle of one node within a run.',
  valuesMap: {
    PENDING: { description: 'Not reached yet.' },
    RUNNING: { description: 'Executing, possibly retrying.' },
    WAITING: { description: 'Waiting for a human approval.' },
    SUCCEEDED: { description: 'Done, with an `output` (or reused from an earlier run).' },
    FAILED: { description: 'Failed after its retries, or cancelled before it finished; see `error`.' },
    SKIPPED: { description: 'Not executed: none of its incoming edges was taken.' },
  },
});
registerEnumType(RunTrigger, {
  name: 'RunTrigger',
  description: 'What started a run.',
  valuesMap: {
    API: { description: 'The `startRun` mutation.' },
    SCHEDULE: { description: 'A schedule: a fire, `triggerSchedule` or `backfillSchedule`.' },
    WEBHOOK: { description: 'A signed `POST /hooks/:agentId` call.' },
    SUBFLOW: { description: "Another run's `subflow` node or agent tool (see `parentRun`)." },
    RETRY: { description: 'The `retryRun` mutation (see `retryOf`).' },
  },
});

export { NodeStatus, RunStatus, RunTrigger };
