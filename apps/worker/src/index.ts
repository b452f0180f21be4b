export { startWorker, workflowsPath, type RunningWorker, type WorkerSettings } from './worker.js';
export { createActivities, type ActivityDependencies } from './activities/index.js';
export { createRunStoreActivities, normaliseAssignee } from './activities/run-store.js';
export { installTemporalRuntime } from './runtime.js';
export { createSecretVault } from './activities/secret-vault.js';
export { providerEnvByWorkspace, ENV_PROVIDER_KEYS } from './activities/provider-env.js';
