import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AuditEventsResolver } from './audit-events.resolver.js';
import { AuditInterceptor } from './audit.interceptor.js';
import { AuditEventsService } from './services/audit-events.service.js';
import { AuditLog } from './services/audit-log.service.js';
import { DenialAuditor } from './services/denial-auditor.service.js';

/**
 * The audit log: `AuditLog` to record events, `@Audited` handlers recorded by the global interceptor,
 * refusals recorded through `DenialAuditor`, and the `auditEvents` query for admins.
 */
@Global()
@Module({
  providers: [AuditLog, DenialAuditor, AuditEventsService, AuditEventsResolver, { provide: APP_INTERCEPTOR, useClass: AuditInterceptor }],
  exports: [AuditLog, DenialAuditor],
})
export class AuditModule {}
