// Checksums must be Prisma's: SHA-256 hex of the script, tolerant of LF/CRLF and of the legacy unpadded rendering.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checksumMatchesScript, migrationChecksum } from '@trellis/db';

const script = 'CREATE TABLE "t" ("id" INTEGER);\nCREATE INDEX "t_id_idx" ON "t"("id");\n';

describe('migration checksums', () => {
  it('is the lowercase hex SHA-256 of the bytes', () => {
    expect(migrationChecksum(script)).toBe(createHash('sha256').update(Buffer.from(script, 'utf8')).digest('hex'));
    expect(migrationChecksum(Buffer.from(script))).toBe(migrationChecksum(script));
    expect(migrationChecksum(script)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('matches the same script, and the script with other line endings, but not an edited one', () => {
    const stored = migrationChecksum(script);
    expect(checksumMatchesScript(script, stored)).toBe(true);
    expect(checksumMatchesScript(script.replaceAll('\n', '\r\n'), stored)).toBe(true);
    expect(checksumMatchesScript(script.replaceAll('\n', '\r\n'), migrationChecksum(script.replaceAll('\n', '\r\n')))).toBe(true);
    expect(checksumMatchesScript(`${script}-- edit\n`, stored)).toBe(false);
  });

  it('matches checksums stored by old engines without zero-padding', () => {
    // Only meaningful if some byte is below 0x10, i.e. the two renderings differ.
    const scriptWithSmallByte = [script, `${script}\n`, `${script}\n\n`, `${script}\n\n\n`].find((candidate) =>
      [...createHash('sha256').update(candidate).digest()].some((byte) => byte < 0x10),
    )!;
    const legacy = [...createHash('sha256').update(scriptWithSmallByte).digest()].map((byte) => byte.toString(16)).join('');
    expect(legacy.length).toBeLessThan(64);
    expect(checksumMatchesScript(scriptWithSmallByte, legacy)).toBe(true);
    expect(checksumMatchesScript(`${scriptWithSmallByte}-- edit\n`, legacy)).toBe(false);
  });
});
