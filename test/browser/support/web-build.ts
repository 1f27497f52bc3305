import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(import.meta.dirname, '../../..');
const WEB = join(ROOT, 'web');
const INDEX = join(WEB, 'dist', 'index.html');
const LOCK = join(tmpdir(), `hetao-web-build-${Buffer.from(ROOT).toString('hex').slice(-16)}.lock`);

function newestSource(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((n) => newestSource(join(path, n))));
}

function fresh(): boolean {
  if (!existsSync(INDEX)) return false;
  const sources = ['src', 'index.html', 'vite.config.ts'].map((p) => newestSource(join(WEB, p)));
  return statSync(INDEX).mtimeMs >= Math.max(...sources);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Builds web/dist (what the exchange serves at /) unless it is newer than every source file. Test files run in
 * parallel processes, so one builds under a lock directory while the others wait for it.
 */
export async function ensureWebBuild(): Promise<void> {
  if (fresh()) return;
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      const held = statSync(LOCK, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > 60_000) rmSync(LOCK, { recursive: true, force: true }); // a crashed builder's lock
      if (Date.now() > deadline) throw new Error(`waited too long for the web build lock ${LOCK}`);
      await sleep(250);
    }
  }
  try {
    if (fresh()) return;
    const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
    await promisify(execFile)(
      process.execPath,
      [vite, 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'],
      {
        cwd: ROOT,
      },
    );
  } finally {
    rmdirSync(LOCK);
  }
}
