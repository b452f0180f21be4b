/** What the agent turn asks of a provider, and what a provider answers. */
import type { AgentTurnRequest, AgentTurnResult } from '@trellis/dag-interpreter';
import type { ConnectorContext } from '../connector.js';

/** One chat call as a provider adapter sees it. */
export interface ProviderTurnInput {
  request: AgentTurnRequest;
  /** The system instruction to send (the node's `system`, plus the output instruction when there is a schema). */
  system?: string;
  /** Ask the provider for a JSON answer (its JSON mode). */
  json: boolean;
}

/** A provider adapter's answer, in the contract's neutral shape. */
export type ProviderTurnOutput = Pick<AgentTurnResult, 'message' | 'usage'>;

/** One provider: maps messages and tools to its wire format, calls it through its SDK, maps the reply back. */
export type ProviderTurn = (input: ProviderTurnInput, context: ConnectorContext) => Promise<ProviderTurnOutput>;
