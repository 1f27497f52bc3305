/**
 * `npm run bench`: runs every bench/*.bench.ts (or those named on the command line) one after another and prints
 * one JSON object per line. Each module's default export receives `emit` and calls it once per figure set; every
 * line carries `bench` (its name) and the machine facts needed to read it. Each module runs in a process of its
 * own, so no figure depends on the heap, JIT state or leftover timers of the benches before it.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';

export type Emit = (line: { bench: string } & Record<string, unknown>) => void;
export type Bench = (emit: Emit) => Promise<void>;

const dir = fileURLToPath(new URL('.', import.meta.url));
const self = fileURLToPath(import.meta.url);
const machine = { node: process.version, cpus: cpus().length };

/** Runs one bench module in this process. */
async function runOne(f: string): Promise<boolean> {
  const mod = (await import(pathToFileURL(`${dir}${f}`).href)) as { default: Bench };
  try {
    await mod.default((line) => process.stdout.write(`${JSON.stringify({ ...line, ...machine })}\n`));
    return true;
  } catch (err) {
    process.stdout.write(`${JSON.stringify({ bench: f.replace('.bench.ts', ''), error: String(err) })}\n`);
    return false;
  }
}

/** Runs one bench module in a child process (same Node flags, so the TypeScript loader too). */
function runChild(f: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, self, '--one', f], { stdio: 'inherit' });
    child.on('close', (code) => resolve(code === 0));
    child.on('error', () => resolve(false));
  });
}

const args = process.argv.slice(2);
if (args[0] === '--one') {
  process.exitCode = (await runOne(args[1] as string)) ? 0 : 1;
} else {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => args.length === 0 || args.some((o) => f.startsWith(o)))
    .sort();
  let failed = 0;
  for (const f of files) if (!(await runChild(f))) failed++;
  process.exitCode = failed ? 1 : 0;
}
