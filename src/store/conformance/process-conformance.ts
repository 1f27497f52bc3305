import { describe, expect, it } from 'vitest';
import { IDEMPOTENCY_KEEP_MS } from '../../access/index.js';
import { at } from '../../registry/testing/factories.js';
import { openStore } from '../open-store.js';
import { freshStorePerTest } from '../testing/fresh-store.js';
import type { TestTarget } from '../testing/targets.js';

/**
 * The contract of what the store keeps for the exchange process itself rather than for the domain: the API's
 * idempotency keys and the named process leases (one exchange per database), run against one database.
 */
export function processConformance(target: TestTarget): void {
  const fx = freshStorePerTest(target, at);

  describe('idempotency keys', () => {
    it('claim a key once, keep its answer, tell a different request, an unfinished one and an expired one apart', async () => {
      const k = fx.store.idempotency;
      expect(await k.claimKey('acct_a', 'key-1', 'fp-1', 'p1', at)).toEqual({ kind: 'claimed' });
      expect(await k.claimKey('acct_a', 'key-1', 'fp-1', 'p1', at + 1)).toEqual({ kind: 'in-flight', since: at });
      expect(await k.claimKey('acct_a', 'key-1', 'fp-1', 'p2', at + 1)).toEqual({ kind: 'unknown', since: at });
      expect(await k.claimKey('acct_a', 'key-1', 'fp-2', 'p1', at + 1)).toEqual({ kind: 'mismatch' });
      expect(await k.claimKey('acct_b', 'key-1', 'fp-2', 'p1', at + 1)).toEqual({ kind: 'claimed' });
      const answer = { status: 201, body: '{"id":"job_1"}', contentType: 'application/json; charset=utf-8' };
      await k.answerKey('acct_a', 'key-1', answer);
      await k.releaseKey('acct_a', 'key-1'); // an answered key is not released
      expect(await k.claimKey('acct_a', 'key-1', 'fp-1', 'p2', at + 2)).toEqual({ kind: 'answered', answer });
      // A released key is new again; an expired one too, answered or not.
      await k.releaseKey('acct_b', 'key-1');
      expect(await k.claimKey('acct_b', 'key-1', 'fp-3', 'p1', at + 3)).toEqual({ kind: 'claimed' });
      const later = at + IDEMPOTENCY_KEEP_MS + 10;
      expect(await k.claimKey('acct_a', 'key-1', 'fp-9', 'p3', later)).toEqual({ kind: 'claimed' });
      expect(await k.claimKey('acct_a', 'key-1', 'fp-9', 'p3', later)).toEqual({ kind: 'in-flight', since: later });
    });

    it('give a key to exactly one of two connections claiming it at once', async () => {
      const other = openStore(fx.target);
      try {
        for (let round = 0; round < 10; round++) {
          const claims = await Promise.all([
            fx.store.idempotency.claimKey('acct_a', `race-${round}`, 'fp', 'p1', at),
            other.idempotency.claimKey('acct_a', `race-${round}`, 'fp', 'p2', at),
          ]);
          expect(claims.filter((c) => c.kind === 'claimed')).toHaveLength(1);
          expect(claims.filter((c) => c.kind === 'unknown')).toHaveLength(1);
        }
      } finally {
        await other.close();
      }
    });
  });

  describe('process leases', () => {
    it('hold a lease for one holder until it expires, is released or is taken over from a known-gone holder', async () => {
      const l = fx.store.leases;
      expect(await l.claim('exchange', 'a', at, 1000)).toEqual({ held: true });
      expect(await l.claim('exchange', 'b', at + 10, 1000)).toEqual({ held: false, holder: 'a', expiresAt: at + 1000 });
      expect(await l.claim('exchange', 'a', at + 500, 1000)).toEqual({ held: true }); // renewed to at + 1500
      expect(await l.claim('exchange', 'b', at + 1400, 1000)).toMatchObject({ held: false, expiresAt: at + 1500 });
      expect(await l.claim('exchange', 'b', at + 1500, 1000)).toEqual({ held: true }); // expired: b's now
      expect(await l.claim('exchange', 'a', at + 1600, 1000)).toMatchObject({ held: false, holder: 'b' });
      expect(await l.claim('exchange', 'c', at + 1600, 1000, 'b')).toEqual({ held: true }); // b is known gone
      await l.release('exchange', 'b'); // not b's any more: nothing changes
      expect(await l.claim('exchange', 'a', at + 1700, 1000)).toMatchObject({ held: false, holder: 'c' });
      await l.release('exchange', 'c');
      expect(await l.claim('exchange', 'a', at + 1700, 1000)).toEqual({ held: true });
      expect(await l.claim('other-name', 'b', at + 1700, 1000)).toEqual({ held: true });
    });

    it('give a free lease to exactly one of two connections claiming it at once', async () => {
      const other = openStore(fx.target);
      try {
        for (let round = 0; round < 10; round++) {
          const name = `race-${round}`;
          const claims = await Promise.all([
            fx.store.leases.claim(name, 'a', at, 1000),
            other.leases.claim(name, 'b', at, 1000),
          ]);
          expect(claims.filter((c) => c.held)).toHaveLength(1);
        }
      } finally {
        await other.close();
      }
    });
  });
}
