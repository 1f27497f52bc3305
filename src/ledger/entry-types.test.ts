import { describe, expect, it } from 'vitest';
import { decodeEntry, encodeEntry } from './entry-codec.js';
import type { LedgerEntry } from './entry-types.js';

const hex = 'ab'.repeat(32);
const at = 1_767_225_600_000;
const ok = (e: Record<string, unknown>) => decodeEntry(encodeEntry(e as unknown as LedgerEntry));
const code = (e: Record<string, unknown>) => {
  try {
    encodeEntry(e as unknown as LedgerEntry);
    return 'ok';
  } catch (err) {
    return `${(err as { code: string }).code} ${(err as { field?: string }).field}`;
  }
};

/** The entries the exchange API emits (src/api/registry/record-*.ts), as schema v1 accepts them. */
describe('entry types the API emits', () => {
  const change = {
    type: 'registry-change',
    v: 1,
    changeId: 'chg_01JDQ8Z3M5W7Y9A1B3C5D7E9F1',
    at,
    actorOrgId: 'org_01JDQ8Z3M5W7Y9A1B3C5D7E9F1',
    object: 'organization',
    objectId: 'org_01JDQ8Z3M5W7Y9A1B3C5D7E9F2',
    action: 'create',
    objectDigest: hex,
  };

  it('registry-change: every object kind; data types by dotted name; bare or prefixed digests', () => {
    for (const object of [
      'organization',
      'site',
      'dataset',
      'scenario',
      'agreement',
      'approval',
      'association',
      'account',
    ])
      expect(ok({ ...change, object })).toMatchObject({ object });
    expect(ok({ ...change, object: 'data-type', objectId: 'logistics.shipment-status' })).toMatchObject({
      objectId: 'logistics.shipment-status',
    });
    for (const action of ['add-participant', 'record-gba-standard-contract', 'approve-security-assessment'])
      expect(ok({ ...change, action })).toMatchObject({ action });
    expect(ok({ ...change, objectDigest: `sha256:${hex}` }).type).toBe('registry-change');
    expect(code({ ...change, object: 'person' })).toBe('HETAO_LEDGER_ENTRY_INVALID object');
    expect(code({ ...change, objectId: 'Zhang San' })).toBe('HETAO_LEDGER_ENTRY_INVALID objectId');
    expect(code({ ...change, objectDigest: hex.toUpperCase() })).toBe('HETAO_LEDGER_ENTRY_INVALID objectDigest');
  });

  it('association-change: declare, confirm, approve, revoke', () => {
    const a = { type: 'association-change', v: 1, changeId: 'chg_1', at, orgId: 'org_a1', relatedOrgId: 'org_b2' };
    for (const action of ['declare', 'confirm', 'approve', 'revoke'])
      expect(ok({ ...a, action, evidenceDigest: hex })).toMatchObject({ action });
    expect(code({ ...a, action: 'merge' })).toBe('HETAO_LEDGER_ENTRY_INVALID action');
  });

  it('list-change: the list lifecycle steps with the version as a decimal string', () => {
    const l = {
      type: 'list-change',
      v: 1,
      changeId: 'chg_01JDQ8Z3M5W7Y9A1B3C5D7E9F1',
      at,
      scenario: 'cross-border-logistics',
      dataType: 'logistics.shipment-status',
      listVersion: '3',
      documentDigest: hex,
    };
    for (const action of ['propose', 'pilot', 'assess', 'list', 'suspend', 'reinstate', 'revoke'])
      expect(ok({ ...l, action })).toMatchObject({ action, listVersion: '3' });
  });

  it('ids are tolerant of form but admit no free text', () => {
    expect(code({ ...change, changeId: 'chg_abc123' })).toBe('ok');
    expect(code({ ...change, changeId: 'chg_ab c' })).toBe('HETAO_LEDGER_ENTRY_INVALID changeId');
    expect(code({ ...change, changeId: 'no-underscore' })).toBe('HETAO_LEDGER_ENTRY_INVALID changeId');
  });
});
