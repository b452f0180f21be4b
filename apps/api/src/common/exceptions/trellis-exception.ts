import type { ValidationIssue } from '@trellis/dag-interpreter';

/** Domain error codes; each maps to the GraphQL `extensions.code` of the same name. */
export enum TrellisExceptionCode {
  /** The caller sent something invalid: a bad DAG, run input failing its schema, a malformed argument. */
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  /** An agent, version, run or approval does not exist. */
  NOT_FOUND = 'NOT_FOUND',
  /** The request is valid but clashes with the current state (name taken, approval already decided, run finished). */
  CONFLICT = 'CONFLICT',
  /** No credentials, or credentials that are not valid (unknown, expired, revoked, malformed). */
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  /** Valid credentials whose role lacks the permission the operation needs. */
  FORBIDDEN = 'FORBIDDEN',
  /** A rate limit was reached; `extensions.retryAfterSeconds` says when to try again. */
  TOO_MANY_REQUESTS = 'TOO_MANY_REQUESTS',
}

/** The HTTP status of each code, for REST routes and GraphQL responses that carry one. */
export const HTTP_STATUS_OF: Readonly<Record<TrellisExceptionCode, number>> = {
  [TrellisExceptionCode.BAD_USER_INPUT]: 400,
  [TrellisExceptionCode.NOT_FOUND]: 404,
  [TrellisExceptionCode.CONFLICT]: 409,
  [TrellisExceptionCode.UNAUTHENTICATED]: 401,
  [TrellisExceptionCode.FORBIDDEN]: 403,
  [TrellisExceptionCode.TOO_MANY_REQUESTS]: 429,
};

/** One problem in the caller's input, located by a path such as `nodes[2].config.url` or `input.threshold`. */
export type { ValidationIssue };

/**
 * The one exception type services throw for expected failures. The GraphQL exception filter turns it
 * into a `GraphQLError` with `extensions.code` (and `extensions.issues` and the entries of `extensions`
 * when present); any other error becomes `INTERNAL_SERVER_ERROR` without details.
 */
export class TrellisException extends Error {
  constructor(
    readonly code: TrellisExceptionCode,
    message: string,
    /** Per-field problems, for `BAD_USER_INPUT`. */
    readonly issues?: ValidationIssue[],
    /** Further machine-readable details copied into the GraphQL error's extensions, such as `retryAfterSeconds`. */
    readonly extensions?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = 'TrellisException';
  }

  /** A `BAD_USER_INPUT` error listing `issues`. */
  static badUserInput(message: string, issues: ValidationIssue[]): TrellisException {
    return new TrellisException(TrellisExceptionCode.BAD_USER_INPUT, message, issues);
  }

  /**
   * The record a `NOT_FOUND` error is about (`what` as passed to {@link notFound}); never sent to the client.
   * The audit log uses it to tell a record that does not exist from one in another workspace.
   */
  missing?: { what: string; id: string };

  /** A `NOT_FOUND` error such as `Agent 1234 not found`. */
  static notFound(what: string, id: string | number): TrellisException {
    const exception = new TrellisException(TrellisExceptionCode.NOT_FOUND, `${what} ${id} not found`);
    exception.missing = { what, id: String(id) };
    return exception;
  }

  /** A `CONFLICT` error with the given message. */
  static conflict(message: string): TrellisException {
    return new TrellisException(TrellisExceptionCode.CONFLICT, message);
  }

  /** An `UNAUTHENTICATED` error; `message` never says whether an account or key exists. */
  static unauthenticated(message: string): TrellisException {
    return new TrellisException(TrellisExceptionCode.UNAUTHENTICATED, message);
  }

  /** A `FORBIDDEN` error with the given message. */
  static forbidden(message: string): TrellisException {
    return new TrellisException(TrellisExceptionCode.FORBIDDEN, message);
  }

  /**
   * A `TOO_MANY_REQUESTS` error whose extensions carry `retryAfterSeconds` (whole seconds until the
   * limit's window ends; REST answers send it as `Retry-After`).
   */
  static tooManyRequests(message: string, retryAfterSeconds: number): TrellisException {
    return new TrellisException(TrellisExceptionCode.TOO_MANY_REQUESTS, message, undefined, { retryAfterSeconds });
  }
}
