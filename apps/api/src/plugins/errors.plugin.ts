// Every error leaves as application/problem+json {type,title,status,code,detail}: ApiError as
// thrown, schema failures as 400 naming the fields, Fastify's own 4xx (body too large, bad JSON,
// wrong media type) kept 4xx, and anything else a logged 500 that reveals nothing.
import fp from 'fastify-plugin';
import type { FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { STATUS_CODES } from 'node:http';
import { ApiError } from '../lib/api-error';

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  [extra: string]: unknown;
}

export function sendProblem(reply: FastifyReply, status: number, code: string, detail: string, extra: Record<string, unknown> = {}) {
  const body: Problem = { type: `/problems/${code.toLowerCase().replace(/_/g, '-')}`, title: STATUS_CODES[status] ?? 'Error', status, code, detail, ...extra };
  return reply.status(status).type('application/problem+json').serializer(JSON.stringify).send(body);
}

export default fp(
  async (app) => {
    app.setErrorHandler((error, request, reply) => {
      if (error instanceof ApiError) return sendProblem(reply, error.status, error.code, error.message, error.extra);
      if (hasZodFastifySchemaValidationErrors(error)) {
        const fields = error.validation.map((v) => {
          const where = `${error.validationContext ?? 'body'}${v.instancePath ? v.instancePath.replace(/\//g, '.') : ''}`;
          return { field: where, message: v.message ?? 'is invalid' };
        });
        return sendProblem(reply, 400, 'VALIDATION_FAILED', fields.map((f) => `${f.field}: ${f.message}`).join('; '), { fields });
      }
      const err = error as { statusCode?: number; code?: string; message?: string; validation?: unknown };
      if (err.validation) return sendProblem(reply, 400, 'VALIDATION_FAILED', err.message ?? 'the request is invalid');
      if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
        return sendProblem(reply, err.statusCode, (err.code ?? 'BAD_REQUEST').replace(/^FST_ERR_/, ''), err.message ?? 'the request is invalid');
      }
      request.log.error({ err: error }, 'unhandled error');
      return sendProblem(reply, 500, 'INTERNAL', 'something went wrong on the server; the error was logged');
    });
    app.setNotFoundHandler((request, reply) =>
      sendProblem(reply, 404, 'ROUTE_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`),
    );
  },
  { name: 'errors' },
);
