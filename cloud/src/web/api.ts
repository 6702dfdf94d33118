import type { Request, Response } from 'express';
import * as v from 'valibot';
import { toJsonSchema } from '@valibot/to-json-schema';
import { issuePath } from '@lokole/protocol';
import { LokoleError } from '@lokole/protocol';
import type { Principal, Role } from '../auth/index.js';
import type { Device } from '../devices/index.js';

type AnySchema = v.GenericSchema;
type ObjectSchema =
  v.ObjectSchema<v.ObjectEntries, undefined> | v.StrictObjectSchema<v.ObjectEntries, undefined>;

export interface ApiResponse {
  readonly description: string;
  readonly schema?: AnySchema;
  /** Defaults to application/json when there is a schema. */
  readonly contentType?: string;
}

export interface HandlerContext<P, B> {
  readonly params: P;
  readonly body: B;
  readonly principal: Principal | undefined;
  /** The device of a `device` route's token. */
  readonly device: Device | undefined;
  readonly req: Request;
  readonly res: Response;
}

/**
 * One endpoint: the Express app registers it and the OpenAPI document describes it, from the
 * same object, so the two cannot drift; params and body are validated with the same schemas.
 */
export interface ApiRoute<P = Record<string, string>, B = unknown> {
  readonly method: 'get' | 'post' | 'put' | 'delete';
  /** OpenAPI form: `/api/v2/admin/devices/{id}`. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly tag: string;
  /** Roles allowed, 'device' (a device token, lkd_…), or 'public'. */
  readonly access: 'public' | 'device' | readonly Role[];
  readonly params?: ObjectSchema;
  readonly body?: AnySchema;
  /** A body Express should not parse (multipart, raw). */
  readonly rawBody?: { readonly contentType: string; readonly schema: Record<string, unknown> };
  readonly responses: Readonly<Record<number, ApiResponse>>;
  /** Returns `{status, body}` to answer JSON, or nothing when it answered itself. */
  readonly handle: (context: HandlerContext<P, B>) => Promise<{ status: number; body?: unknown } | void>;
}

// Route objects with their own P and B live in one list; the registration validates them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = ApiRoute<any, any>;

export function defineRoute<P, B>(route: ApiRoute<P, B>): ApiRoute<P, B> {
  return route;
}

export function expressPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

/** Validates `value`, or throws INVALID_INPUT naming each bad field. */
export function validate<T extends AnySchema>(schema: T, value: unknown, where: string): v.InferOutput<T> {
  const result = v.safeParse(schema, value);
  if (result.success) return result.output;
  const problems = result.issues.map((issue) => {
    const path = issuePath(issue);
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  throw new LokoleError('INVALID_INPUT', `Bad ${where}: ${problems.join('; ')}`, {
    reason: 'invalid-request',
  });
}

export const ErrorSchema = v.object({
  error: v.object({ code: v.string(), message: v.string(), reason: v.optional(v.string()) }),
});

function jsonSchema(schema: AnySchema): Record<string, unknown> {
  const converted = { ...(toJsonSchema(schema, { errorMode: 'ignore' }) as Record<string, unknown>) };
  delete converted.$schema;
  return converted;
}

const STANDARD_ERRORS: Record<number, string> = {
  400: 'The request is invalid; the message says which field.',
  401: 'No bearer token, or one the cloud never issued.',
  403: 'The token is valid but its role may not do this.',
};

/** The OpenAPI 3.1 document of the routes. */
export function openApiDocument(
  routes: readonly AnyRoute[],
  info: { version: string },
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const responses: Record<string, unknown> = {};
    const errors =
      route.access === 'public'
        ? []
        : [401, ...(route.access === 'device' ? [] : [403]), ...(route.params || route.body ? [400] : [])];
    for (const status of errors) {
      responses[String(status)] = {
        description: STANDARD_ERRORS[status],
        content: { 'application/json': { schema: jsonSchema(ErrorSchema) } },
      };
    }
    for (const [status, response] of Object.entries(route.responses)) {
      responses[status] = {
        description: response.description,
        ...(response.schema
          ? {
              content: {
                [response.contentType ?? 'application/json']: { schema: jsonSchema(response.schema) },
              },
            }
          : response.contentType
            ? { content: { [response.contentType]: { schema: { type: 'string' } } } }
            : {}),
      };
    }
    const parameters = route.params
      ? Object.entries(route.params.entries).map(([name, schema]) => ({
          name,
          in: 'path',
          required: true,
          schema: jsonSchema(schema as AnySchema),
        }))
      : [];
    const requestBody = route.body
      ? { required: true, content: { 'application/json': { schema: jsonSchema(route.body) } } }
      : route.rawBody
        ? { required: true, content: { [route.rawBody.contentType]: { schema: route.rawBody.schema } } }
        : undefined;
    paths[route.path] = {
      ...paths[route.path],
      [route.method]: {
        operationId: route.operationId,
        summary: route.summary,
        tags: [route.tag],
        ...(route.access === 'public'
          ? { security: [] }
          : route.access === 'device'
            ? { security: [{ device: [] }] }
            : { security: [{ bearer: [] }], 'x-roles': [...route.access] }),
        ...(parameters.length ? { parameters } : {}),
        ...(requestBody ? { requestBody } : {}),
        responses,
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Lokole cloud',
      version: info.version,
      description:
        'Device registration and administration, inbound mail webhook, health and metrics. Admin tokens (`lka_…`) are created with `lokole-cloud token create --role admin|registrar`.',
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An admin token, lka_…' },
        device: { type: 'http', scheme: 'bearer', description: 'A device token, lkd_…' },
      },
    },
    paths,
  };
}
