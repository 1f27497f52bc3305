export type * from './ports.js';
export * from './types.js';
