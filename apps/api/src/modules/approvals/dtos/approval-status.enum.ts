import { registerEnumType } from '@nestjs/graphql';
import { ApprovalStatus } from '../../../infrastructure/prisma/prisma-client.js';

registerEnumType(ApprovalStatus, { name: 'ApprovalStatus', description: 'Lifecycle of a human approval.' });

export { ApprovalStatus };
