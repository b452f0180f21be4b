/**
 * OpenTelemetry tracing, on only when an OTLP endpoint is configured
 * (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT); the SDK reads the rest of
 * its standard OTEL_* variables itself.
 */
import { NodeSDK } from '@opentelemetry/sdk-node';

/** Starts the SDK and returns it, or `undefined` when no exporter endpoint is set. */
export function startTelemetry(env: NodeJS.ProcessEnv = process.env): NodeSDK | undefined {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT && !env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return undefined;
  const sdk = new NodeSDK({ serviceName: env.OTEL_SERVICE_NAME ?? 'trellis-worker' });
  sdk.start();
  return sdk;
}
