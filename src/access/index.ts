export { hashToken, newToken } from './tokens.js';
export * from './types.js';
