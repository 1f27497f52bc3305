import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/index.js';
import { openStore } from '../store/index.js';
import { type Exchange, startExchange } from './exchange.js';
import { holdExchangeLease } from './exchange-lease.js';

const dir = mkdtempSync(join(tmpdir(), 'hetao-lease-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const config = (home: string) =>
  loadConfig({ HETAO_HOME: home, HETAO_PORT: '0', HETAO_LOG_LEVEL: 'silent', HETAO_DEMO: 'false' });

describe('one exchange per database', () => {
  it('refuses a second exchange on the same database while the first runs, and starts it once the first stopped', async () => {
    const home = join(dir, 'shared');
    const first: Exchange = await startExchange(config(home));
    let second: Exchange | undefined;
    try {
      await expect(startExchange(config(home))).rejects.toMatchObject({
        code: 'HETAO_STORE_IN_USE',
        message: expect.stringContaining(`process ${process.pid} on ${hostname()}`),
      });
      await first.close();
      second = await startExchange(config(home));
      expect((await fetch(`${second.url}/healthz`)).status).toBe(200);
    } finally {
      await first.close();
      await second?.close();
    }
  }, 60_000);

  it('takes the lease over at once from a holder on this machine whose process is gone', async () => {
    const home = join(dir, 'crashed');
    const store = openStore({ kind: 'sqlite', path: join(home, 'hetao.db') });
    try {
      await startExchange(config(home)).then((x) => x.close()); // create and migrate the database
      const dead = spawnSync(process.execPath, ['-e', '0']).pid as number; // a pid that has exited
      const gone = JSON.stringify({ id: 'gone', pid: dead, host: hostname(), since: Date.now() });
      expect(await store.leases.claim('exchange', gone, Date.now(), 3_600_000)).toEqual({ held: true });
      const x = await startExchange(config(home));
      await x.close();
      // A live holder elsewhere is not taken over before its lease runs out.
      const elsewhere = JSON.stringify({ id: 'far', pid: dead, host: 'another-host', since: Date.now() });
      expect(await store.leases.claim('exchange', elsewhere, Date.now(), 3_600_000)).toEqual({ held: true });
      await expect(startExchange(config(home))).rejects.toMatchObject({ code: 'HETAO_STORE_IN_USE' });
    } finally {
      await store.close();
    }
  }, 60_000);

  it('tells the holder when its lease was taken while it ran (it stalled past the lease)', async () => {
    const store = openStore({ kind: 'sqlite', path: join(dir, 'stall.db') });
    try {
      await store.migrate(Date.now());
      let t = 1_000;
      const lost: string[] = [];
      const lease = await holdExchangeLease(
        store.leases,
        () => t,
        (h) => lost.push(h),
        90,
      );
      t += 200; // past the lease: another process takes it
      expect(await store.leases.claim('exchange', 'usurper', t, 10_000)).toEqual({ held: true });
      await expect.poll(() => lost, { timeout: 2_000 }).toEqual(['usurper']);
      await lease.release();
      expect(await store.leases.claim('exchange', 'third', t + 1, 10_000)).toMatchObject({ held: false });
    } finally {
      await store.close();
    }
  });
});
