import { open } from 'node:fs/promises';
import { HetaoError } from '../../core/index.js';
import type { LogChunk } from './executor.js';

const MiB = 1024 * 1024;

/**
 * Reads a job's output file from a byte offset. A missing file reads as empty (the job has not written yet).
 * Stops before a trailing incomplete UTF-8 sequence so that offsets always fall on character boundaries.
 */
export async function readLog(path: string, fromOffset = 0, maxBytes = MiB): Promise<LogChunk> {
  if (!Number.isInteger(fromOffset) || fromOffset < 0)
    throw new HetaoError('HETAO_EXECUTOR_HANDLE_INVALID', `log offset must be an integer >= 0 (got ${fromOffset})`);
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { text: '', nextOffset: fromOffset };
    throw new HetaoError('HETAO_EXECUTOR_FAILED', `cannot open log ${path}`, { cause: err });
  }
  try {
    const buf = Buffer.alloc(Math.max(1, maxBytes));
    const { bytesRead } = await fh.read(buf, 0, buf.length, fromOffset);
    const end = completeUtf8(buf, bytesRead);
    return { text: buf.subarray(0, end).toString('utf8'), nextOffset: fromOffset + end };
  } finally {
    await fh.close();
  }
}

function completeUtf8(buf: Buffer, len: number): number {
  // Look back at most 3 bytes for the lead byte of a sequence that runs past `len`.
  for (let i = len - 1; i >= Math.max(0, len - 3); i--) {
    const b = buf[i] as number;
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return i + need > len ? i : len;
  }
  return len;
}
