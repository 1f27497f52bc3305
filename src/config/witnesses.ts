import { parseVerifierKey, SIG_COSIGNATURE_V1 } from '../ledger/index.js';
import type { WitnessEndpoint } from './schema.js';

/**
 * Parses `HETAO_WITNESSES`: entries `URL KEY` (a witness's base URL and its cosignature verifier key, separated by
 * spaces or tabs), one per line or separated by `;`; blank entries are skipped. Returns the frozen list, or one
 * problem per bad entry (`entry N …`, numbered from 1 among the non-blank entries).
 */
export function parseWitnessList(raw: string): { value: readonly WitnessEndpoint[] } | { problems: string[] } {
  const entries = raw
    .split(/[;\n]/)
    .map((e) => e.trim())
    .filter((e) => e.length > 0);
  const out: WitnessEndpoint[] = [];
  const problems: string[] = [];
  const byKey = new Map<string, number>();
  const byName = new Map<string, number>();
  entries.forEach((entry, i) => {
    const n = i + 1;
    const parts = entry.split(/\s+/);
    if (parts.length !== 2) {
      problems.push(
        `entry ${n} must be "URL KEY", the witness's base URL and verifier key (got ${JSON.stringify(entry)})`,
      );
      return;
    }
    const [url, key] = parts as [string, string];
    const bad = (what: string) => problems.push(`entry ${n} ${what}`);
    let parsedUrl: URL | undefined;
    try {
      parsedUrl = new URL(url);
    } catch {
      parsedUrl = undefined;
    }
    if (
      parsedUrl === undefined ||
      (parsedUrl.protocol !== 'http:' && parsedUrl.protocol !== 'https:') ||
      parsedUrl.search !== '' ||
      parsedUrl.hash !== '' ||
      parsedUrl.username !== '' ||
      parsedUrl.password !== ''
    ) {
      bad(
        `URL must be an http:// or https:// base URL without credentials, query or fragment (got ${JSON.stringify(url)})`,
      );
      return;
    }
    let name: string;
    try {
      const v = parseVerifierKey(key);
      if (v.type !== SIG_COSIGNATURE_V1) {
        bad(
          `key must be a witness cosignature key (type 0x04, as \`hetao witness key\` prints it), not type 0x0${v.type}`,
        );
        return;
      }
      name = v.name;
    } catch (err) {
      bad(`key is not a verifier key: ${(err as Error).message} (got ${JSON.stringify(key)})`);
      return;
    }
    const sameKey = byKey.get(key);
    if (sameKey !== undefined) {
      bad(`repeats the key of entry ${sameKey}`);
      return;
    }
    const sameName = byName.get(name);
    if (sameName !== undefined) {
      bad(`has the witness name ${JSON.stringify(name)} of entry ${sameName}; each witness needs its own name`);
      return;
    }
    byKey.set(key, n);
    byName.set(name, n);
    out.push(Object.freeze({ url: parsedUrl.href.replace(/\/+$/, ''), key }));
  });
  return problems.length > 0 ? { problems } : { value: Object.freeze(out) };
}
