import { defineErrors } from './define.js';

export const apiErrors = defineErrors('api', {
  HETAO_API_VALIDATION: {
    status: 400,
    summary: 'the request does not match the endpoint schema',
    fix: 'Correct the field the error names (see the OpenAPI description at /api/docs); nothing was changed.',
  },
  HETAO_API_NOT_FOUND: {
    status: 404,
    summary: 'no such route or object',
    fix: 'Check the path and id; objects of other organizations answer 404 too.',
  },
  HETAO_API_UNAUTHENTICATED: {
    status: 401,
    summary: 'no valid bearer token was presented',
    fix: 'Send `Authorization: Bearer <token>`; create tokens with `hetao admin token create`.',
  },
  HETAO_API_FORBIDDEN: {
    status: 403,
    summary: 'your role may not do this',
    fix: 'Ask an account with the needed role (the message names it) to act, or to grant you that role.',
  },
  HETAO_API_BODY_TOO_LARGE: {
    status: 413,
    summary: 'the request body is larger than the exchange accepts',
    fix: 'Send less than 1 MiB; datasets are registered by metadata and digest, never by content.',
  },
  HETAO_API_UNSUPPORTED_MEDIA: {
    status: 415,
    summary: 'the request body is not JSON',
    fix: 'Send `Content-Type: application/json` with a JSON body.',
  },
  HETAO_API_IDEMPOTENCY_MISMATCH: {
    status: 422,
    summary: 'the Idempotency-Key was used before for a different request',
    fix: 'Send a new key with a new request; a retry must repeat the method, path and body exactly.',
  },
  HETAO_API_IDEMPOTENCY_IN_FLIGHT: {
    status: 409,
    summary: 'the request with this Idempotency-Key is still being handled',
    fix: 'Retry in a moment: the retry then gets the first answer.',
  },
  HETAO_API_IDEMPOTENCY_UNKNOWN: {
    status: 409,
    summary: 'the exchange stopped while handling the request with this Idempotency-Key',
    fix: 'Look up whether it took effect (GET the resource or list) before sending it again with a new key.',
  },
  HETAO_API_SHUTTING_DOWN: {
    status: 503,
    summary: 'the exchange is shutting down',
    fix: 'Retry in a few seconds, against the restarted exchange.',
  },
});
