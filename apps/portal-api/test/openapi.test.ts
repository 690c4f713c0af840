/** The OpenAPI document and the router must agree: every served operation documented, and only those. */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createPortalRouter } from '../src/app.js';
import { renderReference } from '../src/http/reference.js';
import { usePortal } from './harness.js';

const portal = usePortal();

describe('OpenAPI 3.1 document', () => {
  it('is served at /api/v1/openapi.json', async () => {
    const res = await portal().request('GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(res.body.components.securitySchemes.bearer.scheme).toBe('bearer');
  });

  it('documents exactly the operations the router serves', async () => {
    const document = (await portal().request('GET', '/openapi.json')).body as {
      paths: Record<string, Record<string, { operationId: string }>>;
    };
    const documented = Object.entries(document.paths)
      .flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
      )
      .sort();
    const router = createPortalRouter(portal().handle.db, pino({ level: 'silent' }), 1024);
    const served = router.stack
      .filter(
        (layer) =>
          layer.methods.length > 0 &&
          layer.name !== 'fallback' &&
          !String(layer.path).endsWith('/openapi.json'),
      )
      .flatMap((layer) =>
        layer.methods
          .filter((method) => method !== 'HEAD')
          .map((method) => `${method} ${String(layer.path).replace(/:(\w+)/g, '{$1}')}`),
      )
      .sort();
    expect(served.length).toBeGreaterThan(5);
    expect(documented).toEqual(served);
  });

  it('describes each operation with an id, a summary, its parameters and its responses', async () => {
    const document = (await portal().request('GET', '/openapi.json')).body;
    for (const [path, operations] of Object.entries(
      document.paths as Record<string, Record<string, Record<string, unknown>>>,
    )) {
      for (const [method, operation] of Object.entries(operations)) {
        expect(operation.operationId, `${method} ${path}`).toBeTypeOf('string');
        expect(operation.summary, `${method} ${path}`).toBeTypeOf('string');
        const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        const declared = (operation.parameters as { name: string; in: string }[])
          .filter((p) => p.in === 'path')
          .map((p) => p.name);
        expect(declared.sort(), `${method} ${path}`).toEqual(pathParams.sort());
        expect(
          Object.keys(operation.responses as object).some((s) => s.startsWith('2')),
          `${method} ${path}`,
        ).toBe(true);
      }
    }
  });
});

describe('the sign-in settings in the document', () => {
  it('declares the OIDC claim and the SAML attribute that name the member', async () => {
    const document = (await portal().request('GET', '/openapi.json')).body;
    const text = JSON.stringify(document.paths['/api/v1/orgs/{org}/identity/sso']);
    expect(text).toContain('"userNameClaim"');
    expect(text).toContain('"enum":["email","preferred_username","upn"]');
    expect(text).toContain('"userNameAttribute"');
  });
});

describe('the written reference (docs/portal-api-reference.md)', () => {
  it('is the one rendered from the OpenAPI document', async () => {
    const document = (await portal().request('GET', '/openapi.json')).body;
    const rendered = renderReference(document);
    const file = fileURLToPath(new URL('../../../docs/portal-api-reference.md', import.meta.url));
    if (process.env.UPDATE_REFERENCE) writeFileSync(file, rendered);
    expect(readFileSync(file, 'utf8'), 'regenerate it: see the file header').toBe(rendered);
  });
});
