import Type from 'typebox';
import { CLASSIFICATIONS, JURISDICTIONS, ZONES } from '../policy/types.js';

/** Schema pieces shared by the resource routes. */
export const Id = (prefix: string) => Type.String({ pattern: `^${prefix}_[0-9A-HJKMNP-TV-Z]{26}$`, maxLength: 40 });
export const Digest = Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256, lowercase hex' });
export const Name = Type.String({ minLength: 1, maxLength: 120 });
export const Reason = Type.String({ minLength: 1, maxLength: 500 });
export const Millis = Type.Integer({ minimum: 0, maximum: 8_640_000_000_000_000, description: 'epoch milliseconds' });
export const Jurisdiction = Type.Union(JURISDICTIONS.map((j) => Type.Literal(j)));
export const Zone = Type.Union([...ZONES.map((z) => Type.Literal(z)), Type.Null()]);
export const Classification = Type.Union(CLASSIFICATIONS.map((c) => Type.Literal(c)));
export const DataTypeName = Type.String({ pattern: '^[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+$', maxLength: 120 });
export const Slug = Type.String({ pattern: '^[a-z][a-z0-9-]{1,60}$' });

export const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) }, { additionalProperties: false });
export const PageQuery = Type.Object(
  {
    after: Type.Optional(Type.String({ maxLength: 64 })),
    /** Items per page, 1 to 500 (more is read as 500); 100 when left out. */
    limit: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,2}$' })),
  },
  { additionalProperties: true },
);

export function pageOf(q: { after?: string; limit?: string }): { after: string | null; limit: number } {
  return { after: q.after ?? null, limit: q.limit ? Number(q.limit) : 100 };
}
