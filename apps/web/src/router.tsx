import { createRootRoute, createRoute, createRouter } from '@tanstack/react-router';
import { AppShell } from './layout/app-shell';
import { AgentDetail } from './screens/agent-detail';
import { AgentEditor } from './screens/agent-editor';
import { ApprovalsInbox } from './screens/approvals-inbox';
import { Settings } from './screens/settings';
import { AgentsList } from './screens/agents-list';
import { RunView } from './screens/run-view';

/**
 * The dashboard's routes; every view has its own URL, so any of them can be linked:
 * `/` the agents, `/agents/:agentId` one agent with its versions and runs, `/agents/:agentId/edit` its editor, `/runs/:runId` one run, `/inbox` the approvals
 * the user may decide, `/settings` members, API keys and the audit log.
 */
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
    return <AgentEditor key={agentId} agentId={agentId} />;
  },
});

const runRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/runs/$runId',
  component: function RunPage() {
    const { runId } = runRoute.useParams();
    return <RunView key={runId} runId={runId} />;
  },
});

const inboxRoute = createRoute({ getParentRoute: () => rootRoute, path: '/inbox', component: ApprovalsInbox });

const settingsRoute = createRoute({ getParentRoute: () => rootRoute, path: '/settings', component: Settings });

export const router = createRouter({ routeTree: rootRoute.addChildren([agentsRoute, agentRoute, editorRoute, runRoute, inboxRoute, settingsRoute]) });

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
