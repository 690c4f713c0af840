import { scimErrors } from '@roster/scim-core/errors';

/** `meta.version` and the `ETag` header (RFC 7644 §3.14): weak, from the row's version counter. */
export function etagOf(version: number): string {
  return `W/"${version}"`;
}

/**
 * Enforces `If-Match` when the client sends one (no Entra or Ping client does, so it is never
 * required). Weak and strong forms of our tag both match.
 */
export function assertIfMatch(header: string | undefined, version: number): void {
  if (!header) return;
  const wanted = String(version);
  const tags = header.split(',').map((t) => t.trim());
  const matches = tags.some((tag) => tag === '*' || tag.replace(/^W\//, '').replace(/^"|"$/g, '') === wanted);
  if (!matches) {
    throw scimErrors.preconditionFailed(
      `The resource has changed (its version is now ${etagOf(version)}). Read it again and retry with the new ETag.`,
    );
  }
}
