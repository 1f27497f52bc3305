/**
 * `npm run bench`: runs every bench/*.bench.ts (or those named on the command line) in one process, one after
 * another, and prints one JSON object per line. Each module's default export receives `emit` and calls it once
 * per figure set; every line carries `bench` (its name) and the machine facts needed to read it.
 */
import { readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';

export type Emit = (line: { bench: string } & Record<string, unknown>) => void;
export type Bench = (emit: Emit) => Promise<void>;

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();

const machine = { node: process.version, cpus: cpus().length };
let failed = 0;
for (const f of files) {
  const mod = (await import(pathToFileURL(`${dir}${f}`).href)) as { default: Bench };
  try {
    await mod.default((line) => process.stdout.write(`${JSON.stringify({ ...line, ...machine })}\n`));
  } catch (err) {
    failed++;
    process.stdout.write(`${JSON.stringify({ bench: f.replace('.bench.ts', ''), error: String(err) })}\n`);
  }
}
process.exitCode = failed ? 1 : 0;
