import { execFile } from 'node:child_process';
import { type ErrorCode, HetaoError } from '../../../core/index.js';

export interface SlurmCliOptions {
  /** slurm.conf of the cluster (SLURM_CONF); this is what selects the cluster. */
  readonly conf: string;
  /** Kill a command that runs longer (ms) and report the controller unavailable. */
  readonly timeoutMs: number;
}

/** The fixed environment Slurm commands run with: no agent variables leak into them (or, via sbatch, into jobs). */
function commandEnv(conf: string): NodeJS.ProcessEnv {
  return { SLURM_CONF: conf, PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C' };
}

/**
 * What Slurm's client commands print when slurmctld cannot be reached (down, restarting, overloaded). Matching
 * client output is unavoidable here: the commands exit 1 for every kind of failure.
 */
const UNREACHABLE =
  /unable to contact slurm controller|connect failure|connection refused|socket timed out|communication connection failure|zero bytes were transmitted|slurmctld not responding|resource temporarily unavailable|in standby mode/i;

/**
 * Runs one Slurm client command without a shell and returns its stdout. Failures: controller unreachable or
 * timed out -> HETAO_EXECUTOR_UNAVAILABLE (retryable); anything else -> `otherwise` (default _FAILED) with the
 * command's stderr in the message.
 */
export function runSlurm(
  command: string,
  args: readonly string[],
  options: SlurmCliOptions,
  otherwise: ErrorCode = 'HETAO_EXECUTOR_FAILED',
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { env: commandEnv(options.conf), timeout: options.timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        const line = `${command} ${args.join(' ')}`;
        const said = String(stderr).trim() || err.message;
        if (err.killed || UNREACHABLE.test(said))
          return reject(
            new HetaoError(
              'HETAO_EXECUTOR_UNAVAILABLE',
              err.killed
                ? `${command} did not answer within ${options.timeoutMs} ms (slurmctld of ${options.conf} down?)`
                : `slurmctld of ${options.conf} cannot be reached: ${said}`,
              { cause: err },
            ),
          );
        reject(new HetaoError(otherwise, `${line} failed: ${said}`, { cause: err }));
      },
    );
  });
}

/** True if the cluster's controller answers `scontrol ping` as UP. Never throws. */
export async function slurmPing(conf: string, timeoutMs = 5000): Promise<boolean> {
  try {
    return /is UP/.test(await runSlurm('scontrol', ['ping'], { conf, timeoutMs }));
  } catch {
    return false;
  }
}
