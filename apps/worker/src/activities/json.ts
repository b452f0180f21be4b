import { Prisma } from '@trellis/db';

/**
 * Converts a JSON value for a nullable Prisma `Json` column: `undefined` leaves the column as it
 * is, `null` stores JSON `null` (Prisma needs its sentinel for that).
 */
export function jsonColumn(value: unknown): Prisma.InputJsonValue | typeof Prisma.JsonNull | undefined {
  if (value === undefined) return undefined;
  if (value === null) return Prisma.JsonNull;
  return value as Prisma.InputJsonValue;
}

/** Parses an optional ISO-8601 timestamp. */
export function optionalDate(iso: string | undefined): Date | undefined {
  return iso === undefined ? undefined : new Date(iso);
}
