import Type from 'typebox';
import { HetaoError } from '../../core/index.js';
import {
  decodeEntry,
  type Hash,
  leafHash,
  parseCheckpoint,
  parseNote,
  parseTilePath,
  TILE_WIDTH,
  toBase64,
  toHex,
} from '../../ledger/index.js';
import type { ApiInstance } from '../api-instance.js';

/** What the public ledger routes read. The composition root builds it from the ledger runtime. */
export interface LedgerRouteDeps {
  /** The latest checkpoint that met the witness policy (with its cosignatures), or undefined before the first. */
  published(): Promise<string | undefined>;
  /** The exchange's note verifier key. */
  readonly verifierKey: string;
  /** The witnesses whose cosignatures the policy counts, and how many it needs. */
  readonly witnesses: { readonly threshold: number; readonly keys: readonly { name: string; key: string }[] };
  /** Tile or entry-bundle bytes for `tile/…`; rejects HETAO_LEDGER_NOT_FOUND beyond the log. */
  tile(path: string): Promise<Uint8Array>;
  readEntries(from: number, count: number): Promise<Uint8Array[]>;
  inclusionProof(index: number, size: number): Promise<Hash[]>;
}

const Count = Type.String({ pattern: '^(0|[1-9][0-9]{0,14})$' });
const EntriesQuery = Type.Object(
  { from: Type.Optional(Count), limit: Type.Optional(Count) },
  { additionalProperties: false },
);
const ProofQuery = Type.Object({ index: Count }, { additionalProperties: false });

/** Most entries one /entries page returns; default 100. */
const MAX_PAGE = 1000;
const TEXT = 'text/plain; charset=utf-8';
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * The public transparency-ledger surface (shared contract "Ledger"; c2sp.org/tlog-checkpoint and tlog-tiles).
 * Registered under /api/v1; every route is public (no token). Hash tiles and entry bundles are served for any
 * width the log covers; full tiles never change, so they are cacheable forever.
 */
export async function ledgerRoutes(app: ApiInstance, deps: LedgerRouteDeps): Promise<void> {
  const pub = { public: true } as const;

  async function publishedSize(): Promise<{ text: string; size: number }> {
    const text = await deps.published();
    if (text === undefined)
      throw new HetaoError('HETAO_LEDGER_NOT_FOUND', 'no checkpoint is published yet (witnesses have not cosigned)');
    return { text, size: parseCheckpoint(parseNote(text).body).size };
  }

  app.get('/ledger/checkpoint', { config: pub }, async (_req, reply) => {
    const { text } = await publishedSize();
    return reply.header('content-type', TEXT).header('cache-control', 'no-cache').send(text);
  });

  app.get('/ledger/key', { config: pub }, async (_req, reply) =>
    reply.header('content-type', TEXT).send(`${deps.verifierKey}\n`),
  );

  app.get('/ledger/witnesses', { config: pub }, async () => ({
    policy: { threshold: deps.witnesses.threshold },
    witnesses: deps.witnesses.keys.map((w) => ({ name: w.name, key: w.key })),
  }));

  app.get('/ledger/tile/*', { config: pub }, async (req, reply) => {
    const path = `tile/${(req.params as { '*': string })['*']}`;
    const tile = parseTilePath(path);
    const bytes = await deps.tile(path);
    return reply
      .header('content-type', 'application/octet-stream')
      .header('cache-control', tile.width === TILE_WIDTH ? IMMUTABLE : 'public, max-age=60')
      .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });

  app.get('/ledger/entries', { config: pub, schema: { querystring: EntriesQuery } }, async (req) => {
    const { size } = await publishedSize();
    const from = Number(req.query.from ?? 0);
    const limit = Math.min(Number(req.query.limit ?? 100), MAX_PAGE);
    const count = Math.max(0, Math.min(limit, size - from));
    const rows = count === 0 ? [] : await deps.readEntries(from, count);
    return {
      items: rows.map((bytes, i) => ({ index: from + i, leafHash: toHex(leafHash(bytes)), entry: decodeEntry(bytes) })),
      size,
    };
  });

  app.get('/ledger/proof', { config: pub, schema: { querystring: ProofQuery } }, async (req) => {
    const { text, size } = await publishedSize();
    const index = Number(req.query.index);
    if (index >= size)
      throw new HetaoError(
        'HETAO_LEDGER_NOT_FOUND',
        `entry ${index} is not in the published checkpoint (size ${size})`,
      );
    const [entry] = await deps.readEntries(index, 1);
    const proof = await deps.inclusionProof(index, size);
    return {
      index,
      size,
      leafHash: toHex(leafHash(entry as Uint8Array)),
      proof: proof.map(toBase64),
      checkpoint: text,
    };
  });
}
