/**
 * True when `error` is Prisma's unique-constraint violation (`P2002`).
 * Duck-typed on the documented error code so it works whatever class the driver adapter raises.
 */
export function isUniqueConstraintViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}
