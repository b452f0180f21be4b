/**
 * A run's Temporal history as stored, for tests that search it for what must not be there (a secret, a
 * plaintext input): every payload with where it sits, and the whole history as searchable text.
 */
import type { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';

/** A payload found in a history; `path` is where, e.g. `.0.workflowExecutionStartedEventAttributes.input.payloads.0`. */
export interface StoredPayload {
  path: string;
  payload: Payload;
}

/** JSON of anything, with bytes as latin1 text (so stored bytes are searched as they are) and bigints as digits. */
export function searchableText(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item instanceof Uint8Array ? Buffer.from(item).toString('latin1') : typeof item === 'bigint' ? item.toString() : item,
  );
}

/**
 * Fetches the history of workflow `workflowId` through `client` (its payloads are not decoded by fetching).
 * @returns `text`: every event as {@link searchableText}; `payloads`: every payload in the events, in order
 */
export async function storedHistory(client: Client, workflowId: string): Promise<{ text: string; payloads: StoredPayload[] }> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const payloads: StoredPayload[] = [];
  const collect = (value: unknown, path: string): void => {
    if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return;
    const record = value as Record<string, unknown>;
    if (record.data instanceof Uint8Array && typeof record.metadata === 'object' && record.metadata !== null) payloads.push({ path, payload: record as Payload });
    for (const [key, item] of Object.entries(record)) collect(item, `${path}.${key}`);
  };
  collect(history.events, '');
  return { text: searchableText(history.events), payloads };
}
