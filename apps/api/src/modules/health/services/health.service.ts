import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { PRISMA, type TrellisPrismaClient } from '../../../infrastructure/prisma/prisma-client.js';
import { TEMPORAL_CLIENT } from '../../../infrastructure/temporal/temporal.module.js';

/** How long each dependency may take to answer before it counts as down (ms). */
export const HEALTH_CHECK_TIMEOUT_MS = 2_000;

export type DependencyState = 'up' | 'down';

/** Body of `GET /healthz`. */
export interface HealthReport {
  status: 'ok' | 'unavailable';
  postgres: DependencyState;
  temporal: DependencyState;
}

/** Probes Postgres (`SELECT 1`) and Temporal (`GetSystemInfo`) concurrently, each with a short timeout. */
@Injectable()
export class HealthService {
  constructor(
    @Inject(PRISMA) private readonly prisma: TrellisPrismaClient,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  /** Never throws: a failing or slow dependency is reported as `down`. */
  async check(): Promise<HealthReport> {
    const [postgres, temporal] = await Promise.all([
      probe(() => withTimeout(this.prisma.$queryRaw`SELECT 1`, HEALTH_CHECK_TIMEOUT_MS)),
      probe(() =>
        this.temporal.connection.withDeadline(Date.now() + HEALTH_CHECK_TIMEOUT_MS, () =>
          this.temporal.connection.workflowService.getSystemInfo({}),
        ),
      ),
    ]);
    return { status: postgres === 'up' && temporal === 'up' ? 'ok' : 'unavailable', postgres, temporal };
  }
}

async function probe(call: () => Promise<unknown>): Promise<DependencyState> {
  try {
    await call();
    return 'up';
  } catch {
    return 'down';
  }
}

/** Rejects when `promise` has not settled after `ms`; the query itself is left to finish in the background. */
function withTimeout<T>(promise: PromiseLike<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([Promise.resolve(promise), timeout]).finally(() => clearTimeout(timer));
}
