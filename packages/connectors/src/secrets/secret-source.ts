/** Where the connector activities get a node's secrets: the worker's vault, over Postgres. */
import type { SecretUse } from '../egress/outbound.js';

/** What is asked of a {@link SecretSource}: the names one node attempt references. */
export interface SecretRequest {
  workspaceId: string;
  runId: string;
  nodeId: string;
  /** Distinct names, each matching `SECRET_NAME_PATTERN`. */
  names: readonly string[];
}

/** The vault as the activities see it. */
export interface SecretSource {
  /**
   * Decrypts `names` in the workspace and records their use (last used time, audit).
   * @returns one entry per name, in the order asked
   * @throws ConnectorError `SecretNotFound` (not retryable) naming the names the workspace does not have
   */
  resolve(request: SecretRequest): Promise<SecretUse[]>;
}
