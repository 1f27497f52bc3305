#!/usr/bin/env node
// The `hetao` command. The TypeScript sources are compiled to dist/ by `npm install` (prepare) or `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/app/cli-main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('hetao: not built yet; run `npm run build` in the hetao folder first\n');
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
