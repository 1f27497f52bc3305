/** A standalone `hetao agent` process for the fault tests: `node --import tsx agent-child.ts agent --exchange ...`. */
import { main } from '../../../src/app/cli-main.js';

process.exitCode = await main(process.argv.slice(2));
