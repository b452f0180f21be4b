/**
 * Migration checksums, computed and compared the way Prisma's schema engine does, so that a
 * `_prisma_migrations` table written by `prisma migrate deploy` and one written by
 * {@link applyMigrations} are interchangeable.
 *
 * Source of the rules: prisma-engines, `schema-engine/connectors/schema-connector/src/checksum.rs`
 * (Prisma 7): SHA-256 of the script, rendered as 64 lowercase, zero-padded hex digits; a stored
 * checksum also matches when the script differs only in LF/CRLF line endings; and checksums
 * stored by old engines that forgot the zero-padding (prisma-engines#1887) still match.
 */
import { createHash } from 'node:crypto';

/** Length of a SHA-256 checksum rendered as hex. */
const CHECKSUM_HEX_LENGTH = 64;

/**
 * Lowercase hex SHA-256 of a migration script (64 characters).
 *
 * @param script The migration.sql content; a string is hashed as its UTF-8 bytes.
 */
export function migrationChecksum(script: Buffer | string): string {
  return createHash('sha256').update(script).digest('hex');
}

/**
 * Whether a checksum stored in `_prisma_migrations` matches a migration script.
 *
 * @param script The migration.sql content as currently on disk.
 * @param storedChecksum The `checksum` column of the applied migration.
 */
export function checksumMatchesScript(script: string, storedChecksum: string): boolean {
  const variants = [script, script.replaceAll('\r\n', '\n'), script.replaceAll('\r\n', '\n').replaceAll('\n', '\r\n')];
  return variants.some((variant) => {
    const digest = createHash('sha256').update(variant).digest();
    const rendered =
      storedChecksum.length === CHECKSUM_HEX_LENGTH
        ? digest.toString('hex')
        : // The legacy rendering: each byte as hex without a leading zero.
          [...digest].map((byte) => byte.toString(16)).join('');
    return rendered === storedChecksum;
  });
}
