/** Public surface of the job executors: the Executor port, its two adapters and the factory. */
import { HetaoError } from '../../core/index.js';
import type { Executor, ExecutorKind } from './executor.js';
import { LocalExecutor, type LocalExecutorOptions } from './local/local-executor.js';
import { SlurmExecutor, type SlurmExecutorOptions } from './slurm/slurm-executor.js';

export {
  type Attempt,
  type ExecutionHandle,
  type ExecutionState,
  type ExecutionStatus,
  type ExecutionUsage,
  type Executor,
  type ExecutorKind,
  isTerminal,
  type LogChunk,
  markerFor,
  terminalStates,
} from './executor.js';
export { LocalExecutor, type LocalExecutorOptions } from './local/local-executor.js';
export { slurmPing } from './slurm/slurm-cli.js';
export { SlurmExecutor, type SlurmExecutorOptions } from './slurm/slurm-executor.js';

export interface ExecutorOptionsByKind {
  local: LocalExecutorOptions;
  slurm: SlurmExecutorOptions;
}

/** Builds the executor of a kind; the only place that knows both adapters. */
export function createExecutor<K extends ExecutorKind>(kind: K, options: ExecutorOptionsByKind[K]): Executor {
  switch (kind) {
    case 'local':
      return new LocalExecutor(options as LocalExecutorOptions);
    case 'slurm':
      return new SlurmExecutor(options as SlurmExecutorOptions);
    default:
      throw new HetaoError('HETAO_EXECUTOR_REJECTED', `executor kind must be local or slurm (got ${String(kind)})`, {
        field: 'kind',
      });
  }
}

/** True for errors after which the same call may simply be repeated later (nothing was decided). */
export function isRetryableExecutorError(err: unknown): boolean {
  return err instanceof HetaoError && (err.code === 'HETAO_EXECUTOR_UNAVAILABLE' || err.code === 'HETAO_EXECUTOR_BUSY');
}
