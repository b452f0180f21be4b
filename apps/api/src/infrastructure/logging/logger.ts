import type { LoggerService } from '@nestjs/common';
import { pino, type Logger } from 'pino';

/** Injection token of the API's pino {@link Logger}. */
export const LOGGER = Symbol('LOGGER');

/** The API's JSON logger (level from `LOG_LEVEL`, default `info`). */
export function createLogger(): Logger {
  return pino({ name: 'trellis-api', level: process.env.LOG_LEVEL ?? 'info' });
}

/**
 * Routes Nest's own log lines (bootstrap, route mapping) into pino so every line is JSON.
 * Nest passes the context (class name) as the last extra argument.
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.logger.info(this.fields(rest), String(message));
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.logger.error(this.fields(rest), String(message));
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.logger.warn(this.fields(rest), String(message));
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.logger.debug(this.fields(rest), String(message));
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.logger.trace(this.fields(rest), String(message));
  }

  private fields(rest: unknown[]): Record<string, unknown> {
    const context = rest.at(-1);
    return typeof context === 'string' ? { context } : {};
  }
}
