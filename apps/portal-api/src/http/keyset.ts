/**
 * Keyset paging for lists ordered by (sort key, id), shared by members and groups: the cursor is
 * opaque to clients and names the last row of the previous page, so a page costs the same at any
 * depth and rows added meanwhile neither repeat nor vanish.
 */
import { isUuid } from '@roster/directory/ids';
import { z } from 'zod';

export interface Position {
  key: string;
  id: string;
}

const encode = (position: Position) =>
  Buffer.from(JSON.stringify([position.key, position.id])).toString('base64url');

function decode(cursor: string): Position | undefined {
  try {
    const [key, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    // The key goes to PostgreSQL as text, which cannot hold NUL.
    if (typeof key === 'string' && !key.includes('\0') && typeof id === 'string' && isUuid(id)) {
      return { key, id };
    }
  } catch {
    // Not base64url JSON: reported below.
  }
  return undefined;
}

/** The cursor of a list paged by a row's sequential id (the audit trail, the provisioning activity). */
export const idCursor = z
  .string()
  .regex(/^\d{1,18}$/)
  .optional()
  .describe('nextCursor of the previous page');

/** The query parameters of a paged list. */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z
    .string()
    .max(2000)
    .transform((cursor, ctx) => {
      const position = decode(cursor);
      if (!position) {
        ctx.addIssue({
          code: 'custom',
          message: 'Not a cursor: pass the nextCursor of the previous page as is.',
        });
        return z.NEVER;
      }
      return position;
    })
    .optional()
    .describe('nextCursor of the previous page'),
};

export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().describe('Pass as cursor for the next page; null on the last page'),
  });

/**
 * The page of `rows`, fetched with `limit + 1` so that a further row, if any, tells whether there
 * is a next page (no empty last page).
 */
export function pageOf<T extends { id: string; sort_key: string }, V>(
  rows: T[],
  limit: number,
  view: (row: T) => V,
): { items: V[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(view),
    nextCursor: rows.length > limit && last ? encode({ key: last.sort_key, id: last.id }) : null,
  };
}
