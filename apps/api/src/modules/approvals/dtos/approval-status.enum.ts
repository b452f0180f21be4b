import { registerEnumType } from '@nestjs/graphql';
import { ApprovalStatus } from '../../../infrastructure/prisma/prisma-client.js';

registerEnumType(ApprovalStatus, {
  name: 'ApprovalStatus',
  description: 'Lifecycle of a human approval.',
  valuesMap: {
    PENDING: {
      description:
        'Nobody has decided yet. It can be decided while its run is RUNNING or WAITING; once the run ends it stays ' +
        'PENDING but is closed (see `closedReason`).',
    },
    APPROVED: { description: 'A person approved it.' },
    REJECTED: { description: 'A person rejected it.' },
    TIMED_OUT: {
      description: "Nobody decided before `dueAt`; the node's `onTimeout` (approve, reject or fail) settled the outcome.",
    },
  },
});

export { ApprovalStatus };
