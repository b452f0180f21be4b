/**
 * Base62 digits in value order: `0-9`, then `A-Z`, then `a-z`. The alphabet is alphanumeric so that a
 * credential is selected whole by a double-click and survives URLs, shells and config files unquoted.
 */
export const BASE62_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

const BASE = 62n;
const BASE62_PATTERN = /^[0-9A-Za-z]*$/;

/**
 * Encodes a non-negative integer as exactly `width` base62 digits, most significant first, left-padded
 * with `0` so that every value of a given range has the same length.
 *
 * @throws RangeError when `value` is negative or needs more than `width` digits.
 */
export function encodeBase62(value: bigint, width: number): string {
  if (value < 0n) throw new RangeError(`base62 encodes non-negative integers, got ${value}`);
  let digits = '';
  for (let rest = value; rest > 0n; rest /= BASE) digits = BASE62_ALPHABET[Number(rest % BASE)] + digits;
  if (digits.length > width) throw new RangeError(`${value} needs ${digits.length} base62 digits, more than ${width}`);
  return digits.padStart(width, '0');
}

/**
 * Encodes bytes, read as one unsigned big-endian integer, as base62 padded to {@link base62Width} of their
 * length: the same number of digits for every input of that many bytes.
 */
export function encodeBase62Bytes(bytes: Uint8Array): string {
  const value = bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
  return encodeBase62(value, base62Width(bytes.length));
}

/** Number of base62 digits that holds any integer of `byteCount` bytes (43 for 32 bytes, 6 for 4). */
export function base62Width(byteCount: number): number {
  let width = 0;
  for (let capacity = 1n, needed = 1n << BigInt(8 * byteCount); capacity < needed; capacity *= BASE) width += 1;
  return width;
}

/** Whether every character of `value` is a base62 digit (true for the empty string). */
export function isBase62(value: string): boolean {
  return BASE62_PATTERN.test(value);
}
