import { registerEnumType } from '@nestjs/graphql';
import { NodeStatus, RunStatus, RunTrigger } from '../../../infrastructure/prisma/prisma-client.js';

// The GraphQL enums reuse the database enums' values, so rows map onto them without translation.
registerEnumType(RunStatus, { name: 'RunStatus', description: 'Lifecycle of a run.' });
registerEnumType(NodeStatus, { name: 'NodeStatus', description: 'Lifecycle of one node within a run.' });
registerEnumType(RunTrigger, { name: 'RunTrigger', description: 'What started a run.' });

export { NodeStatus, RunStatus, RunTrigger };
