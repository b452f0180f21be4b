/**
 * `@trellis/db`: the Prisma client for Trellis' data model, migrations and database provisioning.
 */
export { PrismaClient, Prisma, $Enums } from './generated/prisma/client.js';
export type {
  Agent,
  AgentVersion,
  Run,
  NodeRun,
  Approval,
  Workspace,
  User,
  Membership,
  Session,
  ApiKey,
  Invitation,
  SetupToken,
  RateLimitWindow,
  AuditEvent,
} from './generated/prisma/client.js';
export {
  RunStatus,
  NodeStatus,
  ApprovalStatus,
  RunTrigger,
  WorkspaceRole,
  AuditActorType,
  AuditOutcome,
} from './generated/prisma/enums.js';

export { createPrismaClient, type CreatePrismaClientOptions } from './client.js';
export { readDag } from './agent-dag.js';
export { redactDatabaseUrl } from './database-url.js';
export { postgresErrorDetails, isAgentVersionImmutableError, isTransientTransactionError } from './postgres-errors.js';
export {
  applyMigrations,
  PRISMA_MIGRATE_ADVISORY_LOCK_KEY,
  type ApplyMigrationsOptions,
  type ApplyMigrationsResult,
} from './migrations.js';
export { migrateDeploy, findSchemaEngineBinary, type MigrateDeployResult, type MigrationTool } from './migrate-deploy.js';
export { DEFAULT_MIGRATIONS_DIR, readMigrationFiles, type MigrationFile } from './migration-files.js';
export { migrationChecksum, checksumMatchesScript } from './migration-checksum.js';
export {
  MigrationError,
  MigrationFileMissingError,
  FailedMigrationsRecordedError,
  MigrationChecksumMismatchError,
  MigrationScriptError,
  MigrationLockTimeoutError,
} from './migration-errors.js';
export {
  provisionDatabase,
  DEFAULT_EMBEDDED_PG_PORT,
  EMBEDDED_DATABASE_NAME,
  ProvisionError,
  EmbeddedPostgresUnavailableError,
  type ProvisionDatabaseOptions,
  type ProvisionedDatabase,
} from './provision.js';
export {
  createClaimCheckCodec,
  CLAIM_CHECK_ENCODING,
  CLAIM_CHECK_ORIGINAL_ENCODING_KEY,
  CLAIM_CHECK_SIZE_KEY,
  CLAIM_CHECK_THRESHOLD_ENV,
  DEFAULT_CLAIM_CHECK_THRESHOLD_BYTES,
  isClaimReference,
  parseClaimReference,
  readClaimCheckThreshold,
  type ClaimCheckCodecOptions,
  type ClaimReference,
} from './claim-check/index.js';
export {
  RUN_EVENTS_CHANNEL,
  RUN_EVENT_TYPES,
  TERMINAL_RUN_EVENT_TYPES,
  parseRunEventNotification,
  lockRunForEvents,
  recordRunEvents,
  listenForRunEvents,
  approvalDecidedEvent,
  type NewRunEvent,
  type RunEventNotification,
  type RunEventType,
  type LockedRun,
  type RecordedRunEvents,
  type RunEventsTransaction,
  type RunEventListener,
  type RunEventListenerOptions,
} from './run-events/index.js';
export * from './secrets/index.js';
export * from './payload-codec/index.js';
