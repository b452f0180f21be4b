import { TrellisException } from '../exceptions/trellis-exception.js';

/** Canonical textual UUID (any version); the `uuid` columns reject anything else. */
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Checks that an ID argument is a UUID, so a malformed id is reported as the caller's mistake
 * rather than surfacing as a database error.
 *
 * @param value the argument's value
 * @param path the argument's name, used as the issue path
 * @throws TrellisException `BAD_USER_INPUT` when `value` is not a UUID
 */
export function assertUuid(value: string, path: string): void {
  if (!UUID_PATTERN.test(value)) {
    throw TrellisException.badUserInput(`Invalid argument ${path}`, [{ path, message: 'must be a UUID' }]);
  }
}

/**
 * Checks an integer argument's range (GraphQL `Int` already guarantees a 32-bit integer).
 *
 * @throws TrellisException `BAD_USER_INPUT` when `value` is outside `[min, max]`
 */
export function assertIntInRange(value: number, path: string, min: number, max: number): void {
  if (value < min || value > max) {
    throw TrellisException.badUserInput(`Invalid argument ${path}`, [
      { path, message: `must be between ${min} and ${max}` },
    ]);
  }
}

/**
 * Checks a string argument's length after trimming, and returns the trimmed value.
 *
 * @param maxLength the longest accepted value, in UTF-16 code units
 * @throws TrellisException `BAD_USER_INPUT` when the trimmed value is empty or longer than `maxLength`
 */
export function requireText(value: string, path: string, maxLength: number): string {
  const trimmed = value.trim();
  if (trimmed.length === 0 || trimmed.length > maxLength) {
    throw TrellisException.badUserInput(`Invalid argument ${path}`, [
      { path, message: `must be between 1 and ${maxLength} characters` },
    ]);
  }
  return trimmed;
}
