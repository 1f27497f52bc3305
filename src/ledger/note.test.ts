import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { HetaoError } from '../core/index.js';
import { formatCheckpoint, openCheckpoint, parseCheckpoint } from './checkpoint.js';
import { cosign } from './cosignature.js';
import { EMPTY_ROOT, toBase64 } from './hashing.js';
import { openNote, parseNote, signNote } from './note.js';
import {
  generateSigner,
  parsePrivateKey,
  parseVerifierKey,
  SIG_COSIGNATURE_V1,
  signerFromSeed,
  verifierOf,
} from './note-keys.js';

const seed = new Uint8Array(32).fill(7);
const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return (err as HetaoError).code;
  }
  return undefined;
};

describe('note keys', () => {
  it('computes the key id as SHA-256(name || 0x0A || type || pubkey)[:4] and formats the verifier key', () => {
    const s = signerFromSeed('hetao.example/ledger', seed);
    const h = createHash('sha256')
      .update(Buffer.concat([Buffer.from('hetao.example/ledger\n'), Buffer.of(0x01), s.publicKey]))
      .digest();
    expect(s.keyId).toBe(h.readUInt32BE(0));
    expect(s.verifierKey).toBe(
      `hetao.example/ledger+${h.subarray(0, 4).toString('hex')}+${toBase64(Uint8Array.of(1, ...s.publicKey))}`,
    );
    const v = parseVerifierKey(s.verifierKey);
    expect(v.keyId).toBe(s.keyId);
    const w = signerFromSeed('witness.sz', seed, SIG_COSIGNATURE_V1);
    expect(w.keyId).not.toBe(signerFromSeed('witness.sz', seed).keyId);
    expect(parseVerifierKey(w.verifierKey).type).toBe(SIG_COSIGNATURE_V1);
  });

  it('serialises the private key and restores the same signer', () => {
    const s = generateSigner('hetao.example/ledger');
    const back = parsePrivateKey(s.privateKey());
    expect(back.verifierKey).toBe(s.verifierKey);
    expect(s.privateKey()).toMatch(/^PRIVATE\+KEY\+hetao\.example\/ledger\+[0-9a-f]{8}\+/);
  });

  it('rejects malformed keys', () => {
    const s = signerFromSeed('a.example', seed);
    const [n, id, k] = s.verifierKey.split('+') as [string, string, string];
    expect(codeOf(() => parseVerifierKey(`${n}+00000000+${k}`))).toBe('HETAO_LEDGER_KEY_INVALID');
    expect(codeOf(() => parseVerifierKey(`${n}+${id}`))).toBe('HETAO_LEDGER_KEY_INVALID');
    expect(codeOf(() => parseVerifierKey(`${n}+${id}+${k.slice(4)}`))).toBe('HETAO_LEDGER_KEY_INVALID');
    expect(codeOf(() => signerFromSeed('has space', seed))).toBe('HETAO_LEDGER_KEY_INVALID');
  });
});

describe('signed notes', () => {
  const s = signerFromSeed('hetao.example/ledger', seed);
  const body = formatCheckpoint({ origin: s.name, size: 0, rootHash: EMPTY_ROOT, extensions: [] });

  it('formats a checkpoint and signs it as "— <name> base64(keyid || sig)"', () => {
    expect(body).toBe(`hetao.example/ledger\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n`);
    const note = signNote(body, [s]);
    const line = note.slice(body.length + 1);
    expect(line).toMatch(/^— hetao\.example\/ledger [A-Za-z0-9+/]+=*\n$/);
    const blob = Buffer.from(line.split(' ')[2] as string, 'base64');
    expect(blob.length).toBe(68);
    expect(blob.readUInt32BE(0)).toBe(s.keyId);
    const { checkpoint, verified } = openCheckpoint(note, [verifierOf(s)]);
    expect(checkpoint.size).toBe(0);
    expect(verified).toHaveLength(1);
  });

  it('ignores unknown keys, rejects a bad signature from a known key and a note no known key signed', () => {
    const other = signerFromSeed('other.example', new Uint8Array(32).fill(1));
    const note = signNote(body, [other, s]);
    expect(openNote(note, [verifierOf(s)]).verified).toHaveLength(1);
    expect(codeOf(() => openNote(signNote(body, [other]), [verifierOf(s)]))).toBe('HETAO_LEDGER_NOTE_UNVERIFIED');
    const tampered = note.replace('\n0\n', '\n1\n');
    expect(codeOf(() => openNote(tampered, [verifierOf(s)]))).toBe('HETAO_LEDGER_NOTE_UNVERIFIED');
    // same name, different key id: ignored, not failed
    const impostor = signerFromSeed(s.name, new Uint8Array(32).fill(2));
    expect(openNote(signNote(body, [impostor, s]), [verifierOf(s)]).verified).toHaveLength(1);
  });

  it('rejects malformed notes per signed-note', () => {
    const good = signNote(body, [s]);
    const sig = good.slice(body.length + 1);
    for (const bad of [
      body, // no signatures
      `${body}${sig}`, // no blank line
      `${body}\n${sig.slice(0, -1)}`, // no final newline
      `${body}\n${sig.replace('— ', '- ')}`, // not an em dash
      `${body}\n— hetao.example/ledger !!!\n`, // not base64
      `${body}\n— hetao.example/ledger AAAA\n`, // shorter than a key id
      `${body}\n— hetao+example AAAAAAA=\n`, // '+' in the key name
      `${body.replace('0\n', '0\t\n')}\n${sig}`, // control character
      `${body}\n${sig}\n`, // trailing empty line
    ])
      expect(
        codeOf(() => parseNote(bad)),
        JSON.stringify(bad),
      ).toBe('HETAO_LEDGER_NOTE_MALFORMED');
    expect(parseNote(good).body).toBe(body);
  });

  it('rejects malformed checkpoints', () => {
    const root = toBase64(EMPTY_ROOT);
    for (const bad of [`o\n01\n${root}\n`, `o\n1\n${root.slice(1)}\n`, `\n1\n${root}\n`, `o\n1\n`, `o\n1\n${root}\n\n`])
      expect(
        codeOf(() => parseCheckpoint(bad)),
        bad,
      ).toBe('HETAO_LEDGER_NOTE_MALFORMED');
    expect(parseCheckpoint(`o\n1\n${root}\next\n`).extensions).toEqual(['ext']);
  });

  it('cosignature/v1 signs "cosignature/v1\\ntime <t>\\n" + body; blob is keyid || u64 time || sig', () => {
    const w = signerFromSeed('witness.hk', seed, SIG_COSIGNATURE_V1);
    const line = cosign(body, w, 1_767_225_600);
    const blob = Buffer.from(line.trim().split(' ')[2] as string, 'base64');
    expect(blob.length).toBe(4 + 8 + 64);
    expect(blob.readUInt32BE(0)).toBe(w.keyId);
    expect(blob.readBigUInt64BE(4)).toBe(1_767_225_600n);
    const wv = parseVerifierKey(w.verifierKey);
    expect(wv.verify(Buffer.from(`cosignature/v1\ntime 1767225600\n${body}`), blob.subarray(12))).toBe(true);
    const note = `${signNote(body, [s])}${line}`;
    const { verified } = openNote(note, [verifierOf(s), wv]);
    expect(verified.map((v) => v.timestamp)).toEqual([undefined, 1_767_225_600]);
  });
});
