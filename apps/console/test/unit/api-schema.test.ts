/**
 * The console's API client is typed by src/api/schema.d.ts, generated (openapi-typescript) from
 * the portal API's OpenAPI document and checked in, so that the console's typecheck runs against
 * the API as it is. This fails when the file is stale; `UPDATE_API_SCHEMA=1 npx vitest run
 * test/unit/api-schema.test.ts` regenerates it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { portalOpenApiDocument } from '@roster/portal-api/openapi';
import openapiTS, { astToString } from 'openapi-typescript';
import { expect, it } from 'vitest';

const HEADER =
  "/**\n * Generated from the portal API's OpenAPI document by test/unit/api-schema.test.ts\n * (UPDATE_API_SCHEMA=1 to regenerate). Do not edit.\n */\n";

it('src/api/schema.d.ts is generated from the portal API as it is now', async () => {
  const document = portalOpenApiDocument();
  const ast = await openapiTS(JSON.parse(JSON.stringify(document)));
  const generated = HEADER + astToString(ast);
  const file = fileURLToPath(new URL('../../src/api/schema.d.ts', import.meta.url));
  if (process.env.UPDATE_API_SCHEMA) writeFileSync(file, generated);
  expect(readFileSync(file, 'utf8'), "stale: regenerate it (see this file's header)").toBe(generated);
});
