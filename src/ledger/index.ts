/** The transparency ledger: RFC 6962 Merkle log, C2SP checkpoints, tiles, proofs and witness protocol. */
export {
  type Checkpoint,
  formatCheckpoint,
  type OpenedCheckpoint,
  openCheckpoint,
  parseCheckpoint,
} from './checkpoint.js';
export { cosign, cosignatureMessage } from './cosignature.js';
export {
  type AddCheckpointAnswer,
  Cosigner,
  type CosignerOptions,
  inProcessWitness,
  type WitnessClient,
} from './cosigner.js';
export { decodeEntryBundle, encodeEntryBundle } from './entry-bundle.js';
export { decodeEntry, encodeEntry, MAX_ENTRY_BYTES } from './entry-codec.js';
export { ENTRY_TYPES, type EntryOf, type EntryType, entrySchemas, type LedgerEntry } from './entry-types.js';
export type { HashReader } from './hash-reader.js';
export { EMPTY_ROOT, fromBase64, type Hash, leafHash, nodeHash, sha256, toBase64, toHex } from './hashing.js';
export type {
  LedgerBatch,
  LedgerStore,
  OutboxReader,
  OutboxRow,
  OutboxTake,
  PublishedCheckpointStore,
} from './ledger-store.js';
export { type Appended, Log, type LogOptions } from './log.js';
export {
  consistencyPlan,
  consistencyProof,
  inclusionPlan,
  inclusionProof,
  type ProofPlan,
  readProof,
  readRoot,
} from './merkle-proofs.js';
export { type NodeRef, rangeNodes, type StoredHash } from './node-ref.js';
export {
  type Note,
  type NoteSignature,
  openNote,
  parseNote,
  signatureLine,
  signNote,
  type VerifiedSignature,
} from './note.js';
export {
  computeKeyId,
  generateSigner,
  parsePrivateKey,
  parseVerifierKey,
  SIG_COSIGNATURE_V1,
  SIG_ED25519,
  type SignatureType,
  type Signer,
  signerFromSeed,
  type Verifier,
  verifierOf,
} from './note-keys.js';
export { OutboxDrain } from './outbox-drain.js';
export {
  buildProofBundle,
  type CheckedProof,
  checkProofBundle,
  type ProofBundle,
  parseProofBundle,
} from './proof-bundle.js';
export { rootFromInclusion, verifyConsistency, verifyInclusion } from './proof-verify.js';
export {
  formatTileIndex,
  formatTilePath,
  parseTilePath,
  TILE_HEIGHT,
  TILE_WIDTH,
  type TilePath,
  tileExists,
} from './tile-path.js';
export { readTile } from './tiles.js';
export { TreeHasher } from './tree-hasher.js';
export { type VerifyLogOptions, type VerifyReport, verifyLog } from './verify-log.js';
export {
  parseAddCheckpoint,
  Witness,
  type WitnessedLog,
  type WitnessOptions,
  witnessErrorResponse,
} from './witness.js';
export {
  checkPolicy,
  evaluatePolicy,
  mergeCosignatures,
  type PolicyResult,
  type TrustPolicy,
  trustPolicy,
} from './witness-policy.js';
export type { WitnessState, WitnessStateStore } from './witness-state-store.js';
