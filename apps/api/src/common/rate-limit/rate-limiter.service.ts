import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../../infrastructure/logging/logger.js';
import { PRISMA, type TrellisPrismaClient } from '../../infrastructure/prisma/prisma-client.js';

/**
 * One rate limit: at most `limit` hits per fixed window of `windowMs` milliseconds. Windows are aligned on
 * multiples of `windowMs` since the Unix epoch, so every API process puts a hit in the same window.
 */
export interface RateLimitRule {
  /** Hits allowed per window (a positive integer). */
  limit: number;
  /** Window length in ms: a positive whole number of seconds, at most {@link MAX_RATE_LIMIT_WINDOW_MS}. */
  windowMs: number;
}

/** A hit counted in a window, returned so that it can be given back with {@link RateLimiterService.refund}. */
export interface RateLimitHit {
  bucket: string;
  windowStart: Date;
}

/**
 * What {@link RateLimiterService.take} decided: the hit was counted, or the bucket's window is full and
 * nothing was counted, in which case `retryAfterSeconds` (at least 1) is the time until the window ends.
 */
export type RateLimitDecision = { allowed: true; hit: RateLimitHit } | { allowed: false; retryAfterSeconds: number };

/**
 * Longest supported window (ms): one day. Windows that ended longer ago than this are deleted, which
 * would cut a longer window short.
 */
export const MAX_RATE_LIMIT_WINDOW_MS = 24 * 60 * 60_000;
/** Past windows are deleted at most this often per process (ms), by the first `take` after it elapsed. */
const PRUNE_INTERVAL_MS = 5 * 60_000;

/**
 * Fixed-window rate limits counted in Postgres (`rate_limit_windows`), so that every API process behind
 * one database enforces one shared count. A hit is an upsert-increment that only increments while the
 * window has room: concurrent callers cannot overshoot the limit, whichever process they reach. Callers
 * that only want to count failures take a hit before the attempt and {@link refund} it when the attempt
 * succeeds, so that a burst of parallel attempts is bounded as well. Hits are stamped with the process's
 * clock, which is assumed to agree with the other processes' (NTP) to well within a window.
 */
@Injectable()
export class RateLimiterService {
  #lastPrune = 0;

  constructor(
    @Inject(PRISMA) private readonly prisma: TrellisPrismaClient,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Counts one hit in `bucket`'s current window of `rule`, unless the window already holds `rule.limit`.
   *
   * @param bucket what is limited and for whom, such as `login:ip:<address>`; never a secret or raw
   *   personal data (it is stored as is), so hash such parts first.
   * @param now the time of the hit, which picks the window; the current time unless a test says otherwise.
   * @throws RangeError for a rule outside {@link RateLimitRule}'s bounds (a programming error).
   */
  async take(bucket: string, rule: RateLimitRule, now = new Date()): Promise<RateLimitDecision> {
    checkRule(rule);
    this.pruneOccasionally(now);
    const windowStart = new Date(Math.floor(now.getTime() / rule.windowMs) * rule.windowMs);
    // The conflict branch's WHERE makes a full window return no row instead of counting past the limit.
    const rows = await this.prisma.$queryRaw<{ hits: number }[]>`
      INSERT INTO rate_limit_windows (bucket, window_start, hits) VALUES (${bucket}, ${windowStart}, 1)
      ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limit_windows.hits + 1
        WHERE rate_limit_windows.hits < ${rule.limit}
      RETURNING hits`;
    if (rows.length > 0) return { allowed: true, hit: { bucket, windowStart } };
    const windowEnd = windowStart.getTime() + rule.windowMs;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((windowEnd - now.getTime()) / 1000)) };
  }

  /** Takes back a hit of {@link take} (the attempt turned out not to count); never below zero. */
  async refund(hit: RateLimitHit): Promise<void> {
    await this.prisma.$executeRaw`
      UPDATE rate_limit_windows SET hits = hits - 1
      WHERE bucket = ${hit.bucket} AND window_start = ${hit.windowStart} AND hits > 0`;
  }

  /** Deletes windows past any rule's length, in the background; a failure is logged and retried later. */
  private pruneOccasionally(now: Date): void {
    if (now.getTime() - this.#lastPrune < PRUNE_INTERVAL_MS) return;
    this.#lastPrune = now.getTime();
    const before = new Date(now.getTime() - MAX_RATE_LIMIT_WINDOW_MS);
    this.prisma.$executeRaw`DELETE FROM rate_limit_windows WHERE window_start < ${before}`.catch((error: unknown) => {
      this.logger.warn({ err: error }, 'could not delete past rate-limit windows');
    });
  }
}

function checkRule(rule: RateLimitRule): void {
  if (!Number.isInteger(rule.limit) || rule.limit < 1) throw new RangeError(`Rate limit must be a positive integer: ${rule.limit}`);
  if (!Number.isInteger(rule.windowMs / 1000) || rule.windowMs < 1000 || rule.windowMs > MAX_RATE_LIMIT_WINDOW_MS) {
    throw new RangeError(`Rate-limit window must be whole seconds between 1 s and one day: ${rule.windowMs} ms`);
  }
}
