import { z } from 'zod';
import type { Access } from './authorize.js';
import type { RouteSpec } from './route-registry.js';

type JsonSchema = Record<string, unknown> & { properties?: Record<string, unknown>; required?: string[] };

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function parameters(schema: z.ZodType | undefined, location: 'path' | 'query') {
  if (!schema) return [];
  const object = jsonSchema(schema, 'input');
  return Object.entries(object.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || (object.required ?? []).includes(name),
    schema: property,
  }));
}

const errorResponse = {
  description: 'Error',
  content: {
    'application/json': {
      schema: {
        type: 'object',
        properties: {
          error: {
            type: 'object',
            properties: { code: { type: 'string' }, message: { type: 'string' }, details: {}, requestId: { type: 'string' } },
            required: ['code', 'message'],
          },
        },
      },
    },
  },
};

function accessDescription(access: Access): string {
  if ('public' in access) return 'Public: no sign-in needed.';
  const who = access.kinds ? ` Only for ${access.kinds.map((k) => (k === 'user' ? 'signed-in people' : 'service tokens')).join(' and ')}.` : '';
  if ('permission' in access) return `Requires permission \`${access.permission}\`.${who}`;
  if ('anyPermission' in access) return `Requires one of ${access.anyPermission.map((p) => `\`${p}\``).join(', ')}.${who}`;
  return `Requires authentication.${who}`;
}

function security(access: Access) {
  if ('public' in access) return [];
  const kinds = access.kinds ?? ['user', 'service'];
  return kinds.map((kind) => (kind === 'user' ? { session: [] } : { serviceToken: [] }));
}

function successResponse(route: RouteSpec) {
  const status = route.status ?? (route.response ? 200 : 204);
  if (status === 302) return { [status]: { description: 'Redirect', headers: { Location: { schema: { type: 'string' } } } } };
  const body = route.response && { content: { 'application/json': { schema: jsonSchema(route.response, 'output') } } };
  return { [status]: { description: body ? 'OK' : 'Done', ...body } };
}

function operation(route: RouteSpec) {
  const { access } = route;
  const guarded = !('public' in access);
  return {
    operationId: `${route.method}${route.path.replace(/\/:?([a-zA-Z]+)/g, (_m, part: string) => part[0]!.toUpperCase() + part.slice(1)).replace(/[^a-zA-Z0-9]/g, '')}`,
    summary: route.summary,
    tags: [route.tag],
    description: accessDescription(access),
    'x-permission': 'permission' in access ? access.permission : null,
    ...('anyPermission' in access && { 'x-any-permission': access.anyPermission }),
    security: security(access),
    parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query')],
    ...(route.body && { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body, 'input') } } } }),
    responses: {
      ...successResponse(route),
      400: errorResponse,
      ...(guarded && { 401: errorResponse, 403: errorResponse }),
      404: errorResponse,
    },
  };
}

/** OpenAPI 3.1 document generated from the route registry (the schemas the routes validate with). */
export function buildOpenApiDocument(routes: readonly RouteSpec[], info: { version: string; serverUrl: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:([a-zA-Z]+)/g, '{$1}');
    paths[path] = { ...paths[path], [route.method]: operation(route) };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Switchboard API', version: info.version },
    servers: [{ url: info.serverUrl }],
    paths,
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'sb_session' },
        serviceToken: { type: 'http', scheme: 'bearer', description: 'sbt_<id>_<secret>; agency tokens may add x-switchboard-tenant' },
      },
    },
  };
}
