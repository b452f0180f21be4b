import { ApprovalDecisionController } from './modules/approvals/decision-links/approval-decision.controller.js';
import { CodecController } from './modules/codec/codec.controller.js';
import { HealthController } from './modules/health/health.controller.js';
import { WebhooksController } from './modules/webhooks/webhooks.controller.js';

/** Every REST controller of the API; a test checks it against the `*.controller.ts` files and their access rules. */
export const HTTP_CONTROLLERS: readonly (new (...args: never[]) => unknown)[] = [
  ApprovalDecisionController,
  CodecController,
  HealthController,
  WebhooksController,
];
