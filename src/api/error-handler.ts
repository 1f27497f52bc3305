import type { FastifyError } from 'fastify';
import { HetaoError, isHetaoError } from '../core/index.js';
import type { ApiInstance } from './api-instance.js';

interface ValidationIssue {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
  keyword?: string;
}

function dotted(context: string | undefined, issue: ValidationIssue): string {
  const path = (issue.instancePath ?? '').split('/').filter(Boolean).join('.');
  const extra = issue.params?.additionalProperties;
  const leaf = Array.isArray(extra) ? String(extra[0]) : issue.params?.missingProperty;
  const p = [path, leaf].filter(Boolean).join('.');
  return p || (context ?? 'body');
}

/** Maps every error to `{code, message, field?}`: HetaoErrors as they are, schema errors to HETAO_API_VALIDATION. */
export function toHetaoError(err: FastifyError): HetaoError {
  if (isHetaoError(err)) return err;
  const validation = (err as FastifyError & { validation?: ValidationIssue[]; validationContext?: string }).validation;
  if (validation?.length) {
    const issue =
      validation.find((v) => v.keyword === 'additionalProperties' || v.keyword === 'required') ?? validation[0]!;
    const field = dotted((err as { validationContext?: string }).validationContext, issue);
    const why =
      issue.keyword === 'additionalProperties'
        ? 'is not a known field; remove it'
        : issue.keyword === 'required'
          ? 'is required'
          : (issue.message ?? 'is invalid');
    return new HetaoError('HETAO_API_VALIDATION', `${field} ${why}`, { field, cause: err });
  }
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new HetaoError('HETAO_API_BODY_TOO_LARGE', 'request body exceeds 1 MiB', { cause: err });
  }
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new HetaoError('HETAO_API_UNSUPPORTED_MEDIA', 'send the body as application/json', { cause: err });
  }
  if (
    err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
    err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
    err.statusCode === 400
  ) {
    return new HetaoError('HETAO_API_VALIDATION', `body is not valid JSON: ${err.message}`, {
      field: 'body',
      cause: err,
    });
  }
  return new HetaoError('HETAO_INTERNAL', 'internal error; the exchange log has the cause', { cause: err });
}

/** An error of the router itself (Fastify's frameworkErrors): a malformed path is bad input naming the url. */
export function frameworkError(err: FastifyError): HetaoError {
  if (err.code === 'FST_ERR_BAD_URL')
    return new HetaoError('HETAO_API_VALIDATION', 'the path is not valid percent-encoded UTF-8', {
      field: 'url',
      cause: err,
    });
  return toHetaoError(err);
}

/** `onNotFound` is told of every request no route matched (metrics count them). */
export function installErrorHandler(app: ApiInstance, onNotFound?: (method: string, status: number) => void): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const e = toHetaoError(err);
    if (e.status >= 500) req.log.error({ err, code: e.code }, 'request failed');
    void reply.status(e.status).send(e.toJSON());
  });
  app.setNotFoundHandler((req, reply) => {
    onNotFound?.(req.method, 404);
    void reply.status(404).send(new HetaoError('HETAO_API_NOT_FOUND', `no route ${req.method} ${req.url}`).toJSON());
  });
}
