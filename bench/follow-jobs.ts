import { type ExecutionHandle, type ExecutionStatus, type Executor, isTerminal } from '../src/sites/index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls every handle's status until all have ended, pausing `pauseMs` between rounds; throws on any end but
 * `succeeded`. At most 4 status calls at a time: one Slurm command each, on a machine with few cores.
 */
export async function followToEnd(ex: Executor, handles: readonly ExecutionHandle[], pauseMs: number): Promise<void> {
  let open = handles;
  while (open.length > 0) {
    const states: ExecutionStatus[] = [];
    for (let i = 0; i < open.length; i += 4)
      states.push(...(await Promise.all(open.slice(i, i + 4).map((h) => ex.status(h)))));
    const bad = states.find((s) => isTerminal(s.state) && s.state !== 'succeeded');
    if (bad) throw new Error(`bench job ended ${bad.state}`);
    open = open.filter((_, i) => !isTerminal((states[i] as ExecutionStatus).state));
    if (open.length > 0) await sleep(pauseMs);
  }
}
