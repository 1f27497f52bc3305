import type { Site } from './types.js';

/** A site's GPUs of every type together. */
export function gpusOf(site: Pick<Site, 'gpus'>): number {
  return Object.values(site.gpus).reduce((a, b) => a + b, 0);
}
