import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MigrationReport } from '../migrations/index.js';
import type { StoreTarget } from '../open-store.js';

const child = fileURLToPath(new URL('./migrate-child.ts', import.meta.url));

/** Starts `n` separate processes that migrate the same database at the same moment; returns their reports. */
export async function raceMigrators(target: StoreTarget, n: number): Promise<MigrationReport[]> {
  const dir = mkdtempSync(join(tmpdir(), 'hetao-race-'));
  const go = join(dir, 'go');
  try {
    const runs = Array.from(
      { length: n },
      () =>
        new Promise<MigrationReport>((resolve, reject) => {
          execFile(process.execPath, ['--import', 'tsx', child, JSON.stringify(target), go], (err, stdout, stderr) =>
            err ? reject(new Error(`migrator failed: ${stderr || err.message}`)) : resolve(JSON.parse(stdout)),
          );
        }),
    );
    await new Promise((r) => setTimeout(r, 1500));
    writeFileSync(go, '');
    return await Promise.all(runs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
