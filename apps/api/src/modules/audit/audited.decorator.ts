import { SetMetadata } from '@nestjs/common';

/** Metadata key of {@link Audited}. */
export const AUDITED = 'trellis:audited';

/** What {@link Audited} records about a handler's successful call. */
export interface AuditedDeclaration {
  /** `<target>.<verb>`, such as `agent.create`. */
  action: string;
  targetType: string;
  /** The target's id, from the handler's arguments (by name, for GraphQL) and its result. */
  targetId: (args: Record<string, any>, result: any) => string | null | undefined;
  /** Details to keep, from the same (never secret values). */
  metadata?: (args: Record<string, any>, result: any) => Record<string, unknown>;
}

/**
 * Records an audit event (outcome `SUCCESS`, actor and workspace from the request) each time the handler
 * returns; see `AuditInterceptor`. Refusals are recorded by the exception filter as `DENIED`.
 */
export const Audited = (declaration: AuditedDeclaration): MethodDecorator => SetMetadata(AUDITED, declaration);
