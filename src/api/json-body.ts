import { errorCodes } from 'fastify';
import type { ApiInstance } from './api-instance.js';

/**
 * Whether parsed JSON holds a key that could reach an object's prototype when merged: `__proto__`, or a
 * `constructor` whose value has a `prototype`. Such bodies are refused, as Fastify's own JSON parser does.
 */
export function poisoned(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const v = pending.pop();
    if (typeof v !== 'object' || v === null) continue;
    if (!Array.isArray(v)) {
      if (Object.hasOwn(v, '__proto__')) return true;
      const c = (v as { constructor?: unknown }).constructor;
      if (Object.hasOwn(v, 'constructor') && typeof c === 'object' && c !== null && Object.hasOwn(c, 'prototype'))
        return true;
    }
    for (const child of Object.values(v)) if (typeof child === 'object' && child !== null) pending.push(child);
  }
  return false;
}

/**
 * Parses a JSON body. Only a text that contains `__proto__`, `constructor` or a `\u` escape can hold a poisoned
 * key (a key is spelled literally or with escapes), so only such a text is walked after parsing: the common body
 * skips the two whole-text regular expressions the default parser runs on every request.
 */
export function parseJsonBody(body: string): unknown {
  // a leading byte-order mark is skipped, as the default parser does
  const text = body.charCodeAt(0) === 0xfeff ? body.slice(1) : body;
  if (text.length === 0) throw new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY();
  }
  const suspect = text.includes('__proto__') || text.includes('constructor') || text.includes('\\u');
  if (suspect && poisoned(value)) throw new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY();
  return value;
}

/** Replaces the default application/json parser with parseJsonBody (same errors, same refusals). */
export function installJsonBody(app: ApiInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    let value: unknown;
    try {
      value = parseJsonBody(body as string);
    } catch (err) {
      done(err as Error, undefined);
      return;
    }
    done(null, value);
  });
}
