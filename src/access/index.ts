export * from './idempotency.js';
export { hashToken, newToken } from './tokens.js';
export * from './types.js';
