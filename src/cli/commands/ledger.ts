import type { Command } from 'commander';
import { HetaoError } from '../../core/index.js';
import {
  buildProofBundle,
  checkProofBundle,
  decodeEntryBundle,
  formatTilePath,
  fromBase64,
  leafHash,
  TILE_WIDTH,
  toHex,
  trustPolicy,
} from '../../ledger/index.js';
import { type Output, readInput } from '../io.js';
import { ledgerHttp, required } from './ledger-http.js';
import { knownLedger, rememberLedger } from './ledger-state.js';
import { assertVerified, verifyExchange } from './ledger-verify.js';

const collect = (v: string, all: string[]) => [...all, v];
const DEFAULT_EXCHANGE = 'http://127.0.0.1:8080';

function nonNegative(v: string, option: string): number {
  if (!/^(0|[1-9][0-9]{0,14})$/.test(v))
    throw new HetaoError('HETAO_CLI_USAGE', `${option} must be a non-negative integer (got ${JSON.stringify(v)})`, {
      field: option,
    });
  return Number(v);
}

interface ProofJson {
  index: number;
  size: number;
  leafHash: string;
  proof: string[];
  checkpoint: string;
}

/** A c2sp.org/tlog-proof bundle for entry `index`, the entry's bytes riding in `extra` (from its entry bundle). */
export async function proveEntry(exchange: string, index: number): Promise<string> {
  const http = ledgerHttp(exchange);
  const p = await required(`entry ${index} in the published checkpoint`, http.json<ProofJson>(`proof?index=${index}`));
  const n = Math.floor(index / TILE_WIDTH);
  const width = Math.min(TILE_WIDTH, p.size - n * TILE_WIDTH);
  const bundle = await required('entry bundle', http.bytes(formatTilePath({ level: 'entries', index: n, width })));
  const entry = decodeEntryBundle(bundle)[index % TILE_WIDTH];
  if (entry === undefined || toHex(leafHash(entry)) !== p.leafHash)
    throw new HetaoError('HETAO_LEDGER_PROOF_INVALID', `the exchange served entry ${index} inconsistently`);
  const proof = p.proof.map((h) => fromBase64(h) ?? new Uint8Array());
  return buildProofBundle({ index, proof, checkpoint: p.checkpoint, extra: entry });
}

/** `hetao ledger verify | prove | check-proof`: reading and checking the exchange's transparency ledger. */
export function ledgerCommands(program: Command, io: Output): void {
  const ledger = program.command('ledger').description('verify the exchange transparency ledger and its proofs');
  ledger
    .command('verify')
    .description('verify the whole ledger: signatures, cosignatures, every entry and the tree')
    .option('--exchange <url>', 'the exchange', DEFAULT_EXCHANGE)
    .option('--key <vkey>', "pin the exchange's verifier key (else trust GET /ledger/key on first use)")
    .option('--witness-key <vkey>', 'pin a witness cosignature key (repeatable)', collect, [])
    .option('--quorum <n>', 'witness cosignatures required (default: all pinned, else the published threshold)')
    .option(
      '--state <file>',
      'remember the keys and the verified tree head in FILE; later runs pin those keys and require the log to extend it',
    )
    .action(async (o: { exchange: string; key?: string; witnessKey: string[]; quorum?: string; state?: string }) => {
      const known = o.state ? knownLedger(o.state, o.exchange) : undefined;
      const key = o.key ?? known?.key;
      const witnessKeys = o.witnessKey.length ? o.witnessKey : (known?.witnessKeys ?? []);
      const quorum = o.quorum !== undefined ? nonNegative(o.quorum, '--quorum') : known?.quorum;
      const r = await verifyExchange({
        exchange: o.exchange,
        ...(key ? { key } : {}),
        witnessKeys,
        ...(quorum !== undefined ? { quorum } : {}),
        ...(known ? { previous: { size: known.size, rootHash: fromBase64(known.rootHash) as Uint8Array } } : {}),
      });
      for (const t of r.trustedOnFirstUse)
        io.err(`note: trusting ${t} as served (trust on first use; pin with flags, or keep them with --state)`);
      const ok = assertVerified(r);
      io.out(
        `ok: ${r.origin} size ${ok.size} root ${ok.rootHash}\n` +
          `  ${ok.size} entries verified: canonical encoding, leaf hashes, tree root\n` +
          `  cosigned by ${ok.cosigners.join(', ') || 'no witness'}` +
          (known ? `\n  extends the ${known.size} entries verified at ${known.verifiedAt}` : ''),
      );
      if (o.state)
        rememberLedger(o.state, o.exchange, {
          origin: r.origin,
          ...r.trusted,
          size: ok.size,
          rootHash: ok.rootHash,
          verifiedAt: new Date().toISOString(),
        });
    });
  ledger
    .command('prove')
    .description('print a c2sp.org/tlog-proof bundle for one entry (check it offline with check-proof)')
    .requiredOption('--index <n>', 'the entry index')
    .option('--exchange <url>', 'the exchange', DEFAULT_EXCHANGE)
    .action(async (o: { index: string; exchange: string }) => {
      io.out(await proveEntry(o.exchange, nonNegative(o.index, '--index')));
    });
  ledger
    .command('check-proof')
    .description('verify a tlog-proof bundle offline against pinned keys')
    .argument('<file>', 'the bundle `hetao ledger prove` printed, or - for standard input')
    .requiredOption('--key <vkey>', "the exchange's verifier key")
    .option('--witness-key <vkey>', 'a witness cosignature key (repeatable)', collect, [])
    .option('--quorum <n>', 'witness cosignatures required (default: all given)')
    .action((file: string, o: { key: string; witnessKey: string[]; quorum?: string }) => {
      const policy = trustPolicy(
        o.key,
        o.witnessKey,
        o.quorum === undefined ? undefined : nonNegative(o.quorum, '--quorum'),
      );
      const r = checkProofBundle(readInput(file, '<file>'), policy);
      io.out(
        `ok: entry ${r.index} (${r.entry.type}) is in ${r.origin} at tree size ${r.size}; ` +
          `cosigned by ${r.cosigners.join(', ') || 'no witness'}`,
      );
    });
}
