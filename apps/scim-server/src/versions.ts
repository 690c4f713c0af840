/**
 * Resource versions as SCIM shows them (RFC 7644 §3.14): `meta.version` and the `ETag` header, a
 * weak tag of the row's version counter, and the `If-Match` precondition. The header is parsed at
 * the edge; the service checks it against the version it read under the row lock.
 */
import { scimErrors } from '@roster/scim-core/errors';

/** `meta.version` and the `ETag` header: weak, from the row's version counter. */
export function etagOf(version: number): string {
  return `W/"${version}"`;
}

/** The versions an `If-Match` header accepts: `*`, or the tags listed (weak or strong forms alike). */
export interface IfMatch {
  tags: string[];
}

/** An `If-Match` header, or undefined without one (no Entra or Ping client sends it, so it is never required). */
export function parseIfMatch(header: string | undefined): IfMatch | undefined {
  if (!header) return undefined;
  return { tags: header.split(',').map((t) => t.trim()) };
}

/** Enforces `If-Match` when the client sent one: 412 unless it names the current version. */
export function assertIfMatch(ifMatch: IfMatch | undefined, version: number): void {
  if (!ifMatch) return;
  const wanted = String(version);
  const matches = (tag: string) => tag === '*' || tag.replace(/^W\//, '').replace(/^"|"$/g, '') === wanted;
  if (!ifMatch.tags.some(matches)) {
    throw scimErrors.preconditionFailed(
      `The resource has changed (its version is now ${etagOf(version)}). Read it again and retry with the new ETag.`,
    );
  }
}
