import { defineErrors } from './define.js';

export const ledgerErrors = defineErrors('ledger', {
  HETAO_LEDGER_ENTRY_INVALID: {
    status: 400,
    summary: 'a ledger entry does not match its type schema',
    fix: 'Correct the field the message names (ids, enums, sha256 digests, bounded codes only; never personal data).',
  },
  HETAO_LEDGER_ENTRY_NONCANONICAL: {
    status: 422,
    summary: 'stored entry bytes are not the canonical encoding of the entry they decode to',
    fix: 'The entry was altered after it was logged; treat the log as tampered and compare with a witness.',
  },
  HETAO_LEDGER_NOTE_MALFORMED: {
    status: 400,
    summary: 'a signed note or checkpoint is not well formed (c2sp.org/signed-note, tlog-checkpoint)',
    fix: 'Send the note exactly as the log served it: text, a blank line, then "— <name> <base64>" lines.',
  },
  HETAO_LEDGER_NOTE_UNVERIFIED: {
    status: 403,
    summary: 'no trusted key verified the note, or a trusted key signature failed',
    fix: 'Check the verifier key (`hetao ledger key`) and that the note was not edited after signing.',
  },
  HETAO_LEDGER_KEY_INVALID: {
    status: 400,
    summary: 'a note verifier key or private key string is malformed',
    fix: 'Use `<name>+<8 hex key id>+<base64 key>` as the exchange or witness printed it, unedited.',
  },
  HETAO_LEDGER_TILE_PATH_INVALID: {
    status: 400,
    summary: 'a tile path is not of the form tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>]',
    fix: 'Encode N in 3-digit elements with x prefixes (1234067 -> x001/x234/067) and W from 1 to 255.',
  },
  HETAO_LEDGER_NOT_FOUND: {
    status: 404,
    summary: 'the entry, tile or tree size lies beyond the current log',
    fix: 'Fetch the latest checkpoint and ask only for indexes and tiles below its tree size.',
  },
  HETAO_LEDGER_PROOF_MALFORMED: {
    status: 400,
    summary: 'a proof (tlog-proof bundle or consistency proof lines) is not well formed',
    fix: 'Pass the proof file unedited, as `hetao ledger prove` wrote it.',
  },
  HETAO_LEDGER_PROOF_INVALID: {
    status: 422,
    summary: 'an inclusion or consistency proof does not verify against the checkpoint',
    fix: 'The entry or the checkpoint differs from what the log signed; fetch a fresh proof from the exchange.',
  },
  HETAO_LEDGER_POLICY_NOT_MET: {
    status: 403,
    summary: 'the checkpoint lacks the witness cosignatures the policy requires',
    fix: 'Wait for the witnesses to cosign (or check their keys in the policy) and fetch the checkpoint again.',
  },
  HETAO_LEDGER_STORE_CONFLICT: {
    status: 409,
    summary: 'the ledger store grew under this log engine (another writer, or a commit whose result was lost)',
    fix: 'Run one exchange per ledger; the engine reloads the tree and later appends proceed.',
  },
  HETAO_LEDGER_COMMIT_FAILED: {
    status: 503,
    summary: 'the batch holding this entry could not be committed; nothing of it was logged',
    fix: 'Read the cause (database down, disk full), fix it and append the entry again.',
  },
  HETAO_LEDGER_WITNESS_MALFORMED: {
    status: 400,
    summary: 'an add-checkpoint request body is malformed (c2sp.org/tlog-witness)',
    fix: 'Send "old <size>", up to 63 base64 proof lines, a blank line, then the signed checkpoint.',
  },
  HETAO_LEDGER_WITNESS_UNKNOWN_LOG: {
    status: 404,
    summary: 'the witness is not configured for this checkpoint origin',
    fix: 'Ask the witness operator to add the log origin and its verifier key.',
  },
  HETAO_LEDGER_WITNESS_BAD_SIGNATURE: {
    status: 403,
    summary: 'no signature on the checkpoint verifies against the keys the witness trusts for the log',
    fix: 'Sign the checkpoint with the key the witness was configured with.',
  },
  HETAO_LEDGER_WITNESS_OLD_SIZE: {
    status: 409,
    summary: 'the old size does not match the latest checkpoint the witness cosigned',
    fix: 'Retry with the size the witness returned (the response body) and a consistency proof from it.',
  },
  HETAO_LEDGER_WITNESS_FORK: {
    status: 409,
    summary: 'the checkpoint has the size the witness holds but a different root hash (a fork)',
    fix: 'The log presented two different trees of one size; investigate the log before anything else.',
  },
  HETAO_LEDGER_WITNESS_BAD_PROOF: {
    status: 422,
    summary: 'the consistency proof does not prove the checkpoint extends the one the witness holds',
    fix: 'Send the consistency proof from the old size to the new size; if it is right, the log forked.',
  },
  HETAO_LEDGER_VERIFY_FAILED: {
    status: 422,
    summary: 'full log verification found a bad entry, tile or root',
    fix: 'The message names the first bad entry index and why; report it to the regulators with the checkpoint.',
  },
  HETAO_LEDGER_CLOSED: {
    status: 503,
    summary: 'the ledger is closing (the exchange is shutting down) and takes no more entries',
    fix: 'Retry against the exchange once it is running again; entries acknowledged before were committed.',
  },
  HETAO_LEDGER_FETCH_FAILED: {
    status: 502,
    summary: 'the CLI could not fetch a ledger resource from the exchange',
    fix: 'Check the --exchange URL and that the exchange is running; the message names the URL and the status.',
  },
});
