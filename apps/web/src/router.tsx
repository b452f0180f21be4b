import { createRootRoute, createRoute, createRouter, type ErrorComponentProps } from '@tanstack/react-router';
import { lazy, type ReactNode, Suspense } from 'react';
import { AppShell } from './layout/app-shell';
import { AgentDetail } from './screens/agent-detail';
import { ApprovalsInbox } from './screens/approvals-inbox';
import { Settings } from './screens/settings';
import { AgentsList } from './screens/agents-list';
import { RunView, type RunViewSearch } from './screens/run-view';
import { NODE_TABS, type NodeTab } from './run/node-panel';
import { RunsList } from './runs/runs-list';
import { parseRunSearch } from './runs/run-search';

/**
 * The dashboard's routes; every view has its own URL, so any of them can be linked:
 * `/` the agents, `/agents/:agentId` one agent with its versions and runs, `/agents/:agentId/edit` its editor, `/agents/:agentId/history?from&to` its versions and the diff of two, `/runs?agent&status&…` every run, filtered, `/runs/:runId` one run, `/inbox` the approvals
 * the user may decide, `/settings` members, API keys and the audit log.
 */
// The editor (CodeMirror, JSON Schema tooling) and the history (JSON diff) load when first opened.
const AgentEditor = lazy(() => import('./screens/agent-editor').then((module) => ({ default: module.AgentEditor })));
const VersionHistory = lazy(() => import('./history/version-history').then((module) => ({ default: module.VersionHistory })));

function Loading({ children }: { children: ReactNode }) {
  return <Suspense fallback={<p>Loading…</p>}>{children}</Suspense>;
}

const rootRoute = createRootRoute({ component: AppShell });

const agentsRoute = createRoute({ getParentRoute: () => rootRoute, path: '/', component: AgentsList });

const agentRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/agents/$agentId',
  component: function AgentPage() {
    const { agentId } = agentRoute.useParams();
    return <AgentDetail agentId={agentId} />;
  },
});

const editorRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/agents/$agentId/edit',
  component: function EditorPage() {
    const { agentId } = editorRoute.useParams();
    return (
      <Loading>
        <AgentEditor key={agentId} agentId={agentId} />
      </Loading>
    );
  },
});

/** A positive integer from a URL search value, or undefined. */
function versionNumber(value: unknown): number | undefined {
  const number = Number(value);
  return Number.isInteger(number) && number > 0 ? number : undefined;
}

const historyRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/agents/$agentId/history',
  validateSearch: (search: Record<string, unknown>): { from?: number; to?: number } => ({ from: versionNumber(search.from), to: versionNumber(search.to) }),
  component: function HistoryPage() {
    const { agentId } = historyRoute.useParams();
    const { from, to } = historyRoute.useSearch();
    return (
      <Loading>
        <VersionHistory agentId={agentId} from={from} to={to} />
      </Loading>
    );
  },
});

const runsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/runs',
  validateSearch: parseRunSearch,
  component: function RunsPage() {
    return <RunsList search={runsRoute.useSearch()} />;
  },
});

const runRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/runs/$runId',
  validateSearch: (search: Record<string, unknown>): RunViewSearch => ({
    node: typeof search.node === 'string' && search.node ? search.node : undefined,
    tab: NODE_TABS.includes(search.tab as NodeTab) ? (search.tab as NodeTab) : undefined,
    compare: typeof search.compare === 'string' && /^[0-9a-f-]{36}$/.test(search.compare) ? search.compare : undefined,
  }),
  component: function RunPage() {
    const { runId } = runRoute.useParams();
    return <RunView key={runId} runId={runId} search={runRoute.useSearch()} />;
  },
});

const inboxRoute = createRoute({ getParentRoute: () => rootRoute, path: '/inbox', component: ApprovalsInbox });

const settingsRoute = createRoute({ getParentRoute: () => rootRoute, path: '/settings', component: Settings });

/** What a screen that failed to render shows instead of a blank page: the error, and a way back. */
function ScreenError({ error }: ErrorComponentProps) {
  return (
    <section role="alert" className="error">
      <h1>This screen failed</h1>
      <p>{error instanceof Error ? error.message : String(error)}</p>
      <a href="/">Back to the agents</a>
    </section>
  );
}

/** An address no screen has. */
function NothingHere() {
  return (
    <section role="alert">
      <h1>Nothing at this address</h1>
      <a href="/">Back to the agents</a>
    </section>
  );
}

export const router = createRouter({ defaultErrorComponent: ScreenError, defaultNotFoundComponent: NothingHere, routeTree: rootRoute.addChildren([agentsRoute, agentRoute, editorRoute, historyRoute, runsRoute, runRoute, inboxRoute, settingsRoute]) });

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
