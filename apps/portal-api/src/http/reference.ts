/**
 * The portal API reference as Markdown, rendered from the OpenAPI document (docs/portal-api-reference.md),
 * so the written reference cannot drift from what the router serves (test/openapi.test.ts checks it).
 */

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  $ref?: string;
}

interface Operation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  'x-roster-access'?: string;
  parameters: { name: string; in: string; required?: boolean; description?: string; schema: JsonSchema }[];
  requestBody?: { content: { 'application/json': { schema: JsonSchema } } };
  responses: Record<string, { description: string }>;
}

interface Document {
  info: { title: string; description: string };
  paths: Record<string, Record<string, Operation>>;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function typeOf(schema: JsonSchema | undefined): string {
  if (!schema) return '';
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  if (schema.anyOf) return schema.anyOf.map(typeOf).join(' \\| ');
  if (schema.type === 'array') return `${typeOf(schema.items)}[]`;
  if (Array.isArray(schema.type)) return schema.type.join(' \\| ');
  return schema.format ? `${schema.type} (${schema.format})` : (schema.type ?? 'object');
}

function fields(schema: JsonSchema): string[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(
    ([name, field]) =>
      `| \`${name}\` | ${typeOf(field)} | ${required.has(name) ? 'yes' : ''} | ${cell(field.description ?? '')} |`,
  );
}

export function renderReference(document: Document): string {
  const lines = [
    `# ${document.info.title}: reference`,
    '',
    'Generated from `GET /api/v1/openapi.json`; do not edit by hand. Regenerate with',
    '`UPDATE_REFERENCE=1 node scripts/pnpm.mjs --filter @roster/portal-api exec vitest run test/openapi.test.ts`.',
    'The model around it (errors, preconditions, OAuth 2.0) is in [portal-api.md](portal-api.md).',
  ];
  const byTag = new Map<string, [string, string, Operation][]>();
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const tag = operation.tags[0] ?? 'Other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), [method, path, operation]]);
    }
  }
  for (const [tag, operations] of byTag) {
    lines.push('', `## ${tag}`);
    for (const [method, path, operation] of operations) {
      const access = operation['x-roster-access'] ?? 'any member';
      lines.push(
        '',
        `### \`${method.toUpperCase()} ${path}\``,
        '',
        `${operation.summary}. Access: ${access}.`,
      );
      if (operation.description) lines.push('', operation.description);
      const query = operation.parameters.filter((p) => p.in === 'query');
      if (query.length > 0) {
        lines.push('', '| Query parameter | Type | Required | Description |', '|---|---|---|---|');
        for (const p of query) {
          lines.push(
            `| \`${p.name}\` | ${typeOf(p.schema)} | ${p.required ? 'yes' : ''} | ${cell(p.description ?? p.schema.description ?? '')} |`,
          );
        }
      }
      const body = operation.requestBody?.content['application/json'].schema;
      if (body?.properties) {
        lines.push(
          '',
          '| Body field | Type | Required | Description |',
          '|---|---|---|---|',
          ...fields(body),
        );
      }
      const statuses = Object.entries(operation.responses).filter(([, r]) => r.description !== 'Error');
      lines.push('', `Responses: ${statuses.map(([status, r]) => `${status} ${r.description}`).join('; ')}.`);
    }
  }
  return `${lines.join('\n')}\n`;
}
