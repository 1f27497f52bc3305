import { HetaoError } from '../../core/index.js';
import {
  formatTilePath,
  parseTilePath,
  type TrustPolicy,
  trustPolicy,
  type VerifyReport,
  verifyLog,
} from '../../ledger/index.js';
import { type LedgerHttp, LedgerMissing, ledgerHttp, required } from './ledger-http.js';

export interface VerifyExchangeOptions {
  readonly exchange: string;
  /** The exchange's verifier key, pinned. Without it the key served at /key is trusted (on first use). */
  readonly key?: string;
  /** Witness cosignature keys, pinned. Without them the ones served at /witnesses are trusted. */
  readonly witnessKeys?: readonly string[];
  /** Cosignatures required. Default: every pinned witness, else the exchange's published threshold. */
  readonly quorum?: number;
  /** A tree head verified earlier: the log must extend it (same first entries), else it is reported as a fork. */
  readonly previous?: { readonly size: number; readonly rootHash: Uint8Array };
}

export interface VerifyExchangeResult {
  readonly report: VerifyReport;
  readonly origin: string;
  /** What was trusted on first use rather than pinned (for the summary). */
  readonly trustedOnFirstUse: readonly string[];
  /** The keys and quorum the verification used, pinned or trusted: what a later run should pin. */
  readonly trusted: { readonly key: string; readonly witnessKeys: readonly string[]; readonly quorum: number };
}

/** A bundle or tile the exchange does not have: verification fails, naming the first entry it lacks. */
class MissingTile extends Error {
  constructor(
    readonly index: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/**
 * Verifies an exchange's whole ledger over HTTP: keys (pinned or trust-on-first-use), the published checkpoint's
 * signature and cosignatures, every entry bundle and level-0 tile, the rebuilt root. Never throws for a bad log:
 * the report says what failed and names the first bad entry.
 */
export async function verifyExchange(o: VerifyExchangeOptions): Promise<VerifyExchangeResult> {
  const http = ledgerHttp(o.exchange);
  const tofu: string[] = [];
  let key = o.key;
  if (key === undefined) {
    key = (await required('ledger key', http.text('key'))).trim();
    tofu.push(`log key ${key}`);
  }
  let witnessKeys = o.witnessKeys ?? [];
  let quorum = o.quorum;
  if (o.witnessKeys === undefined || o.witnessKeys.length === 0) {
    const w = await required(
      'witness list',
      http.json<{ policy: { threshold: number }; witnesses: { name: string; key: string }[] }>('witnesses'),
    );
    witnessKeys = w.witnesses.map((x) => x.key);
    quorum ??= w.policy.threshold;
    if (witnessKeys.length) tofu.push(`witness keys ${w.witnesses.map((x) => x.name).join(', ')}`);
  }
  const policy: TrustPolicy = trustPolicy(key, witnessKeys, quorum);
  const checkpoint = await required('published checkpoint', http.text('checkpoint'));
  let report: VerifyReport;
  try {
    report = await verifyLog({
      checkpoint,
      policy,
      fetch: (path) => fetchTile(http, path),
      ...(o.previous ? { previous: o.previous } : {}),
    });
  } catch (err) {
    if (!(err instanceof MissingTile)) throw err;
    report = { ok: false, code: 'HETAO_LEDGER_VERIFY_FAILED', reason: err.reason, index: err.index };
  }
  return {
    report,
    origin: policy.log.name,
    trustedOnFirstUse: tofu,
    trusted: { key, witnessKeys, quorum: policy.quorum },
  };
}

/** Fetches a tile; when an entry bundle is missing, finds the first missing entry from its partial prefixes. */
async function fetchTile(http: LedgerHttp, path: string): Promise<Uint8Array> {
  try {
    return await http.bytes(path);
  } catch (err) {
    if (!(err instanceof LedgerMissing)) throw err;
    const t = parseTilePath(path);
    const start = t.index * 256;
    if (t.level !== 'entries')
      throw new MissingTile(start, `the exchange has no hash tile ${path}, which the checkpoint covers`);
    // The exchange serves any prefix width it holds: the longest prefix that exists ends at the first gap.
    let lo = 0;
    let hi = t.width - 1;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      const ok = await http.bytes(formatTilePath({ level: 'entries', index: t.index, width: mid })).then(
        () => true,
        (e) => {
          if (e instanceof LedgerMissing) return false;
          throw e;
        },
      );
      if (ok) lo = mid;
      else hi = mid - 1;
    }
    throw new MissingTile(start + lo, `entry ${start + lo} is missing: the exchange cannot serve it`);
  }
}

export function assertVerified(r: VerifyExchangeResult): Extract<VerifyReport, { ok: true }> {
  if (r.report.ok) return r.report;
  const at = r.report.index === undefined ? '' : ` (first bad entry: ${r.report.index})`;
  throw new HetaoError(r.report.code, `${r.origin}: ${r.report.reason}${at}`, { details: { index: r.report.index } });
}
