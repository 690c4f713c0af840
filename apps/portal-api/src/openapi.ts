/**
 * The portal API's OpenAPI document without a database or a server: the console generates its
 * typed client from it (apps/console/test/unit/api-schema.test.ts), so a change to the API that
 * breaks the console breaks its typecheck. Building the routes runs no query.
 */
import type { Database } from '@roster/db';
import type { Kysely } from 'kysely';
import { API_INFO, portalRoutes } from './app.js';
import { openApiDocument } from './http/route.js';

export function portalOpenApiDocument(): Record<string, unknown> {
  const noDatabase = undefined as unknown as Kysely<Database>;
  return openApiDocument(
    portalRoutes(noDatabase, { secretKey: Buffer.alloc(32), development: false }),
    API_INFO,
  );
}
