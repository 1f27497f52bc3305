import { HetaoError } from '../../../core/index.js';

/**
 * The local site's GPU inventory: device indexes 0..size-1, each held by at most one attempt (by marker).
 * Jobs get the lowest free indexes, as Slurm's gres plugin gives them, so the two executors look alike.
 */
export class GpuPool {
  readonly #size: number;
  readonly #held = new Map<string, readonly number[]>();

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 0)
      throw new HetaoError('HETAO_EXECUTOR_REJECTED', `gpus must be an integer >= 0 (got ${size})`, {
        field: 'gpus',
      });
    this.#size = size;
  }

  /** Reserves `count` devices for `marker`; REJECTED if the site has fewer, BUSY if too few are free now. */
  take(marker: string, count: number): readonly number[] {
    const existing = this.#held.get(marker);
    if (existing) return existing;
    if (count > this.#size)
      throw new HetaoError('HETAO_EXECUTOR_REJECTED', `the job asks for ${count} GPUs; this site has ${this.#size}`, {
        field: 'gpus',
      });
    const used = new Set([...this.#held.values()].flat());
    const free = [...Array(this.#size).keys()].filter((i) => !used.has(i));
    if (free.length < count)
      throw new HetaoError(
        'HETAO_EXECUTOR_BUSY',
        `the job asks for ${count} GPUs; ${free.length} of ${this.#size} are free now`,
        { field: 'gpus' },
      );
    const got = free.slice(0, count);
    if (count > 0) this.#held.set(marker, got);
    return got;
  }

  /** Records devices already held by a running attempt (found again after a restart). */
  hold(marker: string, indexes: readonly number[]): void {
    if (indexes.length > 0) this.#held.set(marker, indexes);
  }

  release(marker: string): void {
    this.#held.delete(marker);
  }
}
