/**
 * Routes as data: each declares its method, path, access, zod schemas for params, query, body and
 * responses, and a handler that receives only validated input. The router and the OpenAPI 3.1
 * document are both built from these declarations, so they cannot disagree.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { Actor } from '../auth/actor.js';
import { portalErrors } from '../portal-error.js';

/** Every route acts for an authenticated member; `manager` routes also need that effective role. */
export type Access = 'member' | 'manager';
export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

type AnyObject = z.ZodObject<z.ZodRawShape>;

export interface RouteDefinition<
  P extends AnyObject = AnyObject,
  Q extends AnyObject = AnyObject,
  B extends z.ZodType = z.ZodType,
> {
  method: Method;
  /** OpenAPI form, relative to /api/v1: `/orgs/{org}/api-keys/{keyId}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  access: Access;
  params?: P;
  query?: Q;
  body?: B;
  responses: Record<number, { description: string; schema?: z.ZodType }>;
  handle(input: {
    ctx: Context;
    params: z.output<P>;
    query: z.output<Q>;
    body: z.output<B>;
    actor: Actor;
  }): Promise<{ status: number; body?: unknown; headers?: Record<string, string> }>;
}

/** Keeps the handler's input types tied to the declared schemas. */
export function defineRoute<P extends AnyObject, Q extends AnyObject, B extends z.ZodType>(
  route: RouteDefinition<P, Q, B>,
): RouteDefinition {
  return route as unknown as RouteDefinition;
}

const koaPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

/** What a route without params or query declares: nothing (unknown parameters are ignored). */
const NONE = z.object({});

/** Registers routes; `authenticate` resolves the caller of every route. */
export function mountRoutes(
  router: Router,
  routes: RouteDefinition[],
  authenticate: (ctx: Context) => Promise<Actor>,
): void {
  for (const route of routes) {
    const paramsSchema = route.params ?? NONE;
    const querySchema = route.query ?? NONE;
    router[route.method](route.operationId, koaPath(route.path), async (ctx: Context) => {
      const actor = await authenticate(ctx);
      if (route.access === 'manager' && actor.role !== 'manager') {
        throw portalErrors.forbidden(
          'Only managers of the organization may do this. Ask a manager to change your role.',
        );
      }
      const params = paramsSchema.parse(ctx.params);
      const query = querySchema.parse(ctx.query);
      const body = route.body ? route.body.parse(ctx.request.body ?? {}) : undefined;
      const result = await route.handle({ ctx, params, query, body, actor });
      ctx.status = result.status;
      for (const [name, value] of Object.entries(result.headers ?? {})) ctx.set(name, value);
      if (result.body !== undefined) ctx.body = result.body;
    });
  }
}

const errorSchema = z.object({
  error: z.object({
    code: z.string().describe('Stable, machine-readable; e.g. scim_requires_enterprise_plan'),
    message: z.string().describe('What went wrong and what to do about it'),
    details: z.unknown().optional(),
  }),
});

function jsonSchema(schema: z.ZodType, io: 'input' | 'output') {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  });
  return rest;
}

function parameters(schema: AnyObject | undefined, location: 'path' | 'query') {
  if (!schema) return [];
  return Object.entries(schema.shape).map(([name, field]) => ({
    name,
    in: location,
    required: location === 'path' || !(field as z.ZodType).safeParse(undefined).success,
    schema: jsonSchema(field as z.ZodType, 'input'),
  }));
}

/** The OpenAPI 3.1 document of the given routes. */
export function openApiDocument(
  routes: RouteDefinition[],
  info: { title: string; version: string; description: string },
) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(route.responses)) {
      responses[status] = {
        description: response.description,
        ...(response.schema
          ? { content: { 'application/json': { schema: jsonSchema(response.schema, 'output') } } }
          : {}),
      };
    }
    for (const status of ['400', '401', '403', '404', '409', '429']) {
      responses[status] ??= {
        description: 'Error',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
    }
    paths[`/api/v1${route.path}`] ??= {};
    const operation = {
      operationId: route.operationId,
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      tags: [route.tag],
      security: [{ bearer: [] }, { session: [] }],
      ...(route.access === 'manager' ? { 'x-roster-access': 'manager' } : {}),
      parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query')],
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchema(route.body, 'input') } },
            },
          }
        : {}),
      responses,
    };
    (paths[`/api/v1${route.path}`] as Record<string, unknown>)[route.method] = operation;
  }
  return {
    openapi: '3.1.0',
    info,
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'A personal API key of a member: "Bearer rsk_…"',
        },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'roster_session',
          description:
            'The session single sign-on gives a browser (GET /sso/{org}/login). Changes made with it must carry this origin in their Origin header.',
        },
      },
      schemas: { Error: jsonSchema(errorSchema, 'output') },
    },
    paths,
  };
}
