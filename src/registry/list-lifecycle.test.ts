import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HetaoError } from '../core/index.js';
import { allowedListActions, applyListAction, isInForce, type ListAction, proposeListEntry } from './list-lifecycle.js';
import type { ListEntry } from './types.js';

const T = Date.UTC(2026, 5, 1);
const digest = 'c'.repeat(64);
const safe: ListAction = {
  kind: 'assess',
  assessment: { by: 'acct_reg', at: T + 2, result: 'safe', evidenceDigest: digest },
};

function run(actions: ListAction[]): ListEntry {
  let { entry } = proposeListEntry('gdl_1', 'scn_1', 'logistics.shipment-status', 'acct_o', 'proposed', T);
  actions.forEach((a, i) => {
    entry = applyListAction(entry, a, 'acct_o', a.kind, T + 10 * (i + 1)).entry;
  });
  return entry;
}

describe('general data list lifecycle', () => {
  it('walks proposed -> piloting -> assessed -> listed, versioning every step', () => {
    const e = run([{ kind: 'pilot' }, safe, { kind: 'list', effectiveFrom: T + 100 }]);
    expect(e).toMatchObject({ state: 'listed', version: 4, effectiveFrom: T + 100, assessment: { result: 'safe' } });
    expect(isInForce(e, T + 99)).toBe(false);
    expect(isInForce(e, T + 100)).toBe(true);
  });

  it('suspends and reinstates; revoked is final', () => {
    const listed = run([{ kind: 'pilot' }, safe, { kind: 'list', effectiveFrom: T + 100 }]);
    const s = applyListAction(listed, { kind: 'suspend' }, 'acct_reg', 'incident', T + 200);
    expect(isInForce(s.entry, T + 300)).toBe(false);
    expect(s.record).toMatchObject({ version: 5, state: 'suspended', reason: 'incident', actor: 'acct_reg' });
    const back = applyListAction(s.entry, { kind: 'reinstate' }, 'acct_reg', 'fixed', T + 300).entry;
    expect(isInForce(back, T + 300)).toBe(true);
    const gone = applyListAction(back, { kind: 'revoke' }, 'acct_reg', 'law changed', T + 400).entry;
    expect(allowedListActions(gone.state)).toEqual([]);
    expect(() => applyListAction(gone, { kind: 'reinstate' }, 'a', 'r', T)).toThrowError(
      expect.objectContaining({ code: 'HETAO_REGISTRY_TRANSITION' }),
    );
  });

  it('refuses to list without a safe assessment, or before it', () => {
    const unsafe: ListAction = { kind: 'assess', assessment: { ...safe.assessment, result: 'unsafe' } } as ListAction;
    const assessedUnsafe = run([{ kind: 'pilot' }, unsafe]);
    expect(() => applyListAction(assessedUnsafe, { kind: 'list', effectiveFrom: T + 100 }, 'a', 'r', T)).toThrowError(
      expect.objectContaining({ code: 'HETAO_REGISTRY_ASSESSMENT' }),
    );
    expect(applyListAction(assessedUnsafe, { kind: 'pilot' }, 'a', 'again', T + 50).entry.state).toBe('piloting');
    const assessedSafe = run([{ kind: 'pilot' }, safe]);
    expect(() => applyListAction(assessedSafe, { kind: 'list', effectiveFrom: T }, 'a', 'r', T)).toThrowError(
      expect.objectContaining({ code: 'HETAO_REGISTRY_ASSESSMENT', field: 'effectiveFrom' }),
    );
  });

  it('no sequence of actions reaches listed without passing a safe assessment (property)', () => {
    const action = fc.oneof(
      fc.constant<ListAction>({ kind: 'pilot' }),
      fc.constant<ListAction>(safe),
      fc.constant<ListAction>({
        kind: 'assess',
        assessment: { by: 'r', at: T, result: 'unsafe', evidenceDigest: digest },
      }),
      fc.constant<ListAction>({ kind: 'list', effectiveFrom: T + 5 }),
      fc.constant<ListAction>({ kind: 'suspend' }),
      fc.constant<ListAction>({ kind: 'reinstate' }),
      fc.constant<ListAction>({ kind: 'revoke' }),
    );
    fc.assert(
      fc.property(fc.array(action, { maxLength: 12 }), (actions) => {
        let { entry } = proposeListEntry('gdl_1', 's', 't', 'a', 'p', T);
        let version = 1;
        for (const a of actions) {
          try {
            entry = applyListAction(entry, a, 'a', 'r', T + 10).entry;
            version++;
          } catch (e) {
            expect((e as HetaoError).code).toMatch(/^HETAO_REGISTRY_/);
          }
          expect(entry.version).toBe(version);
          if (entry.state === 'listed') expect(entry.assessment?.result).toBe('safe');
        }
      }),
    );
  });
});
