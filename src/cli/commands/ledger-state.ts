import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { HetaoError } from '../../core/index.js';
import { fromBase64 } from '../../ledger/index.js';

/**
 * What `hetao ledger verify --state FILE` remembers of an exchange between runs, as a monitor needs: the keys it
 * verified with (so later runs pin them instead of trusting what is served) and the last tree head it verified
 * (so a later log must extend it: a rewritten history is reported as a fork). Keyed by the exchange URL.
 */
export interface KnownLedger {
  readonly origin: string;
  readonly key: string;
  readonly witnessKeys: readonly string[];
  readonly quorum: number;
  readonly size: number;
  /** Base64, as in the checkpoint. */
  readonly rootHash: string;
  /** ISO time of the verification. */
  readonly verifiedAt: string;
}

type StateFile = Record<string, KnownLedger>;

function invalid(file: string, why: string): HetaoError {
  return new HetaoError('HETAO_CLI_USAGE', `the state file ${file} is not one hetao wrote (${why}); move it aside`, {
    field: '--state',
  });
}

function readState(file: string): StateFile {
  if (!existsSync(file)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw invalid(file, (err as Error).message);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalid(file, 'not an object');
  return parsed as StateFile;
}

/** The exchange's entry in the state file, or undefined the first time; a malformed entry is refused. */
export function knownLedger(file: string, exchange: string): KnownLedger | undefined {
  const k = readState(file)[exchange];
  if (k === undefined) return undefined;
  const ok =
    typeof k.key === 'string' &&
    Array.isArray(k.witnessKeys) &&
    k.witnessKeys.every((w) => typeof w === 'string') &&
    Number.isInteger(k.quorum) &&
    Number.isInteger(k.size) &&
    k.size >= 0 &&
    typeof k.rootHash === 'string' &&
    fromBase64(k.rootHash)?.length === 32;
  if (!ok) throw invalid(file, `the entry for ${exchange} is malformed`);
  return k;
}

/** Records what this run verified, replacing the file whole (write, then rename), so a crash leaves the old one. */
export function rememberLedger(file: string, exchange: string, known: KnownLedger): void {
  const state = { ...readState(file), [exchange]: known };
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}
