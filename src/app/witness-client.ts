import { parseVerifierKey, type WitnessClient } from '../ledger/index.js';

/**
 * A witness reached over HTTP (c2sp.org/tlog-witness `POST <url>/add-checkpoint`). `verifierKey` is its
 * cosignature key as its operator published it; requests time out after `timeoutMs` (default 5000 ms).
 */
export function httpWitness(url: string, verifierKey: string, timeoutMs = 5000): WitnessClient {
  const endpoint = `${url.replace(/\/+$/, '')}/add-checkpoint`;
  return {
    name: parseVerifierKey(verifierKey).name,
    verifierKey,
    async addCheckpoint(body) {
      const res = await fetch(endpoint, {
        method: 'POST',
        body,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        signal: AbortSignal.timeout(timeoutMs),
      });
      return { status: res.status, body: await res.text() };
    },
  };
}
