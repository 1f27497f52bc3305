import type { Jurisdiction } from '../policy/types.js';

/**
 * Who may act. Every account belongs to one organization and has one role:
 * - exchange-admin: runs the exchange (organizations, sites, data types, accounts); reads everything.
 * - regulator: one side (`side`), reads everything, acts on the general data list, association approvals and
 *   security-assessment approvals concerning its side.
 * - org-admin: manages its organization's datasets, associations, agreements and jobs.
 * - org-member: registers datasets, submits jobs and asks flow questions for its organization.
 * - site-agent: a compute centre's agent; only the agent endpoints of its own site.
 */
export const ROLES = ['exchange-admin', 'regulator', 'org-admin', 'org-member', 'site-agent'] as const;
export type Role = (typeof ROLES)[number];

/** A regulator's side of the boundary. */
export type Side = 'mainland' | 'hk';

export interface Account {
  readonly id: string;
  readonly name: string;
  readonly orgId: string;
  readonly role: Role;
  /** Regulators only. */
  readonly side: Side | null;
  /** Site agents only: the site the token may act for. */
  readonly siteId: string | null;
  /** SHA-256 hex of the bearer token; the token itself is never stored. */
  readonly tokenHash: string;
  readonly createdAt: number;
  readonly revokedAt: number | null;
}

/** The authenticated caller of one request. */
export interface Actor {
  readonly accountId: string;
  readonly name: string;
  readonly orgId: string;
  readonly role: Role;
  readonly side: Side | null;
  readonly siteId: string | null;
}

export function sideOf(j: Jurisdiction): Side | null {
  if (j === 'HK') return 'hk';
  if (j === 'SZ' || j === 'GBA-mainland' || j === 'mainland-other') return 'mainland';
  return null;
}

export interface AccountStore {
  insertAccount(a: Account): Promise<Account>;
  findAccountByTokenHash(tokenHash: string): Promise<Account | null>;
  listAccounts(orgId?: string): Promise<readonly Account[]>;
  revokeAccount(id: string, at: number): Promise<void>;
  /** Which of these token hashes belong to revoked accounts. */
  revokedAmong(tokenHashes: readonly string[]): Promise<readonly string[]>;
}
