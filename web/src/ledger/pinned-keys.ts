import { useCallback, useEffect, useState } from 'react';
import { parseVerifierKey, type VerifierKey } from './note-keys';

/** Verifier keys the user chose to trust, kept in localStorage as key strings. */
const KEY = 'hetao.pinnedKeys';

function load(): string[] {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export function usePinnedKeys(): {
  keys: readonly VerifierKey[];
  pin: (text: string) => Promise<void>;
  unpin: (text: string) => void;
} {
  const [texts, setTexts] = useState<string[]>(load);
  const [keys, setKeys] = useState<readonly VerifierKey[]>([]);

  useEffect(() => {
    let live = true;
    Promise.all(texts.map((t) => parseVerifierKey(t).catch(() => undefined))).then((ks) => {
      if (live) setKeys(ks.filter((k): k is VerifierKey => k !== undefined));
    });
    return () => {
      live = false;
    };
  }, [texts]);

  const pin = useCallback(async (text: string): Promise<void> => {
    const k = await parseVerifierKey(text); // throws with a reason when the key is malformed
    setTexts((old) => {
      const next = old.includes(k.text) ? old : [...old, k.text];
      localStorage.setItem(KEY, JSON.stringify(next));
      return next;
    });
  }, []);

  const unpin = useCallback((text: string): void => {
    setTexts((old) => {
      const next = old.filter((t) => t !== text);
      localStorage.setItem(KEY, JSON.stringify(next));
      return next;
    });
  }, []);

  return { keys, pin, unpin };
}
