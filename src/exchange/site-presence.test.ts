import { expect, it } from 'vitest';
import { ManualClock } from '../core/index.js';
import { LEASE_GRACE_MS, LEASE_TTL_MS } from './scheduling-tick.js';
import { SITE_SILENT_AFTER_MS, SitePresence, silenceReason } from './site-presence.js';

it('counts a site silent once its agent has not called for a lease and its grace, from the start if never', () => {
  expect(SITE_SILENT_AFTER_MS).toBe(LEASE_TTL_MS + LEASE_GRACE_MS);
  const clock = new ManualClock(Date.UTC(2026, 11, 4));
  const start = clock.now();
  const p = new SitePresence(clock);
  clock.advance(SITE_SILENT_AFTER_MS);
  expect(p.silence('a')).toBeNull();
  clock.advance(1);
  expect(p.silence('a')).toEqual({ since: start, never: true });
  p.heard('a');
  const heard = clock.now();
  expect(p.silence('a')).toBeNull();
  clock.advance(SITE_SILENT_AFTER_MS + 1);
  expect(p.silence('a')).toEqual({ since: heard, never: false });
  expect(silenceReason('Qianhai', { since: heard, never: false })).toBe(
    `Qianhai: takes no new work: its agent has been silent since ${new Date(heard).toISOString()}`,
  );
});
