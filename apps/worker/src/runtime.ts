import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';

/**
 * Installs the Temporal runtime with the given log level (default WARN), so the SDK's per-task
 * INFO lines (bundling, state changes) stay out of the demo and service logs.
 * Must run before the first worker or connection is created; later calls are ignored.
 */
export function installTemporalRuntime(level: LogLevel = 'WARN'): void {
  if (installed) return;
  installed = true;
  Runtime.install({ logger: new DefaultLogger(level) });
}

let installed = false;
