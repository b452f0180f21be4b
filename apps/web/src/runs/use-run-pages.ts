import { useCallback, useEffect, useRef, useState } from 'react';
import { useClient } from 'urql';
import { graphql } from '../api/graphql';
import { messageOf } from '../api/error-message';

/** One row of the runs list. */
export interface RunRow {
  id: string;
  status: string;
  trigger: string;
  startedAt: string;
  finishedAt: string | null;
  agent: { id: string; name: string };
  agentVersion: { version: number };
}

const RUNS = graphql(`
  query RunsPage($filter: RunFilterInput, $first: Int, $after: String) {
    runs(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { id status trigger startedAt finishedAt agent { id name } agentVersion { version } }
    }
  }
`);

/** Runs fetched per page (the API's largest page). */
export const RUNS_PAGE_SIZE = 100;

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: RunRow[];
}

/**
 * The runs matching `filter`, newest first, fetched a page at a time as the list asks for more (so 10,000
 * runs are never loaded at once), with live changes merged in: `refreshHead` adds runs that started since
 * and updates the ones shown, `updateRow` applies one run's new status.
 */
export function useRunPages(filter: Record<string, unknown>) {
  const client = useClient();
  const filterKey = JSON.stringify(filter);
  const [rows, setRows] = useState<RunRow[]>([]);
  const [totalCount, setTotalCount] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const cursor = useRef<{ endCursor: string | null; hasNextPage: boolean; loading: boolean; key: string }>({ endCursor: null, hasNextPage: true, loading: false, key: filterKey });

  const fetchPage = useCallback(
    async (after: string | null): Promise<Page | null> => {
      const result = await client.query(RUNS, { filter: JSON.parse(filterKey), first: RUNS_PAGE_SIZE, after }, { requestPolicy: 'network-only' }).toPromise();
      if (result.error) setError(messageOf(result.error));
      return result.data?.runs ?? null;
    },
    [client, filterKey],
  );

  const loadMore = useCallback(async () => {
    const state = cursor.current;
    if (state.loading || !state.hasNextPage) return;
    state.loading = true;
    const page = await fetchPage(state.endCursor);
    // A filter change while the page was in flight makes it stale.
    if (cursor.current !== state) return;
    state.loading = false;
    if (!page) return;
    state.endCursor = page.pageInfo.endCursor;
    state.hasNextPage = page.pageInfo.hasNextPage;
    setTotalCount(page.totalCount);
    setRows((current) => [...current, ...page.nodes.filter((row) => !current.some((shown) => shown.id === row.id))]);
  }, [fetchPage]);

  useEffect(() => {
    cursor.current = { endCursor: null, hasNextPage: true, loading: false, key: filterKey };
    setRows([]);
    setTotalCount(null);
    setError(null);
    void loadMore();
  }, [filterKey, loadMore]);

  const refreshHead = useCallback(async () => {
    const page = await fetchPage(null);
    if (!page) return;
    setTotalCount(page.totalCount);
    setRows((current) => {
      const fresh = new Map(page.nodes.map((row) => [row.id, row]));
      const known = new Set(current.map((row) => row.id));
      const added = page.nodes.filter((row) => !known.has(row.id));
      return [...added, ...current.map((row) => fresh.get(row.id) ?? row)];
    });
  }, [fetchPage]);

  const updateRow = useCallback((update: Partial<RunRow> & { id: string }) => {
    setRows((current) => current.map((row) => (row.id === update.id ? { ...row, ...update } : row)));
  }, []);

  return { rows, totalCount, error, hasNextPage: cursor.current.hasNextPage, loadMore, refreshHead, updateRow };
}
