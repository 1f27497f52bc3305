import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiJson, apiText } from '../api/client';
import type { Witnesses } from '../api/types';
import { Field } from '../components/field';
import type { VerifierKey } from './note-keys';

/**
 * The keys this browser trusts. Fetching a key from the exchange is trust on first use: the key is shown so it can
 * be compared with one published elsewhere (a regulator's notice) before it is pinned.
 */
export function PinnedKeysPanel({
  keys,
  pin,
  unpin,
}: {
  keys: readonly VerifierKey[];
  pin: (text: string) => Promise<void>;
  unpin: (text: string) => void;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState('');
  const [message, setMessage] = useState<string>();

  async function pinAll(texts: readonly string[]): Promise<void> {
    try {
      for (const k of texts) await pin(k);
      setMessage(t('ledger.pinnedN', { n: texts.length }));
    } catch (e) {
      setMessage(t('ledger.badKey', { reason: e instanceof Error ? e.message : String(e) }));
    }
  }

  async function fetchExchangeKey(): Promise<void> {
    await pinAll([(await apiText('/ledger/key', { token: null })).trim()]);
  }

  async function fetchWitnessKeys(): Promise<void> {
    const w = await apiJson<Witnesses>('/ledger/witnesses', { token: null });
    await pinAll(w.witnesses.map((x) => x.key));
  }

  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault();
    await pinAll([draft]);
    setDraft('');
  }

  return (
    <section aria-labelledby="ledger-keys" className="card wide">
      <h2 id="ledger-keys">{t('ledger.keys')}</h2>
      <p className="hint">{t('ledger.keysIntro')}</p>
      {keys.length === 0 ? (
        <p>{t('ledger.noKeys')}</p>
      ) : (
        <ul className="keys">
          {keys.map((k) => (
            <li key={k.text}>
              <code className="key">{k.text}</code>{' '}
              <button type="button" onClick={() => unpin(k.text)} aria-label={t('ledger.unpinKey', { name: k.name })}>
                {t('ledger.unpin')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="actions">
        <button type="button" onClick={() => void fetchExchangeKey()}>
          {t('ledger.pinExchange')}
        </button>
        <button type="button" onClick={() => void fetchWitnessKeys()}>
          {t('ledger.pinWitnesses')}
        </button>
      </div>
      <form className="inline-form" onSubmit={submit}>
        <Field label={t('ledger.pasteKey')}>
          {(id) => (
            <input id={id} required spellCheck={false} value={draft} onChange={(e) => setDraft(e.target.value)} />
          )}
        </Field>
        <button type="submit">{t('ledger.pin')}</button>
      </form>
      <p role="status">{message}</p>
    </section>
  );
}
