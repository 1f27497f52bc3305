import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiJson } from '../api/client';
import type { InclusionProof, LedgerEntries, LedgerEntryItem } from '../api/types';
import { useApi } from '../api/use-api';
import { ErrorNotice } from '../components/error-notice';
import { Loading } from '../components/loading';
import { useFormat } from '../i18n/format';
import { cryptoAvailable } from './bytes';
import type { VerifierKey } from './note-keys';
import { VerificationResult } from './verification-result';
import { type EntryVerification, verifyEntry } from './verify-entry';

const PAGE = 20;

/** Ledger entries, a page at a time, each verifiable for inclusion in the latest signed checkpoint. */
export function EntriesPanel({ keys, focusIndex }: { keys: readonly VerifierKey[]; focusIndex?: number }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [from, setFrom] = useState(focusIndex === undefined ? 0 : Math.floor(focusIndex / PAGE) * PAGE);
  const entries = useApi<LedgerEntries>(`/ledger/entries?from=${from}&limit=${PAGE}`);
  const [results, setResults] = useState<Readonly<Record<number, EntryVerification | string>>>({});
  const size = entries.data?.size ?? 0;

  async function verify(item: LedgerEntryItem): Promise<void> {
    if (!cryptoAvailable()) return setResults((r) => ({ ...r, [item.index]: t('ledger.noCrypto') }));
    try {
      const proof = await apiJson<InclusionProof>(`/ledger/proof?index=${item.index}`, { token: null });
      const v = await verifyEntry(item, proof, keys);
      setResults((r) => ({ ...r, [item.index]: v }));
    } catch (e) {
      setResults((r) => ({ ...r, [item.index]: e instanceof Error ? e.message : String(e) }));
    }
  }

  return (
    <section aria-labelledby="ledger-entries" className="card wide">
      <h2 id="ledger-entries">{t('ledger.entries')}</h2>
      {keys.length === 0 && <p className="notice">{t('ledger.pinFirst')}</p>}
      {entries.error && <ErrorNotice error={entries.error} />}
      {!entries.data && !entries.error && <Loading />}
      {entries.data && (
        <>
          <p>
            {t('ledger.showing', {
              from: f.number(from),
              to: f.number(Math.min(from + PAGE, size) - 1),
              size: f.number(size),
            })}
          </p>
          <nav className="pager" aria-label={t('ledger.pages')}>
            <button type="button" disabled={from === 0} onClick={() => setFrom(0)}>
              {t('ledger.first')}
            </button>
            <button type="button" disabled={from === 0} onClick={() => setFrom(Math.max(0, from - PAGE))}>
              {t('ledger.previous')}
            </button>
            <button type="button" disabled={from + PAGE >= size} onClick={() => setFrom(from + PAGE)}>
              {t('ledger.next')}
            </button>
            <button type="button" disabled={from + PAGE >= size} onClick={() => setFrom(Math.max(0, size - PAGE))}>
              {t('ledger.latest')}
            </button>
          </nav>
          <table>
            <caption className="visually-hidden">{t('ledger.entries')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('ledger.index')}</th>
                <th scope="col">{t('ledger.type')}</th>
                <th scope="col">{t('ledger.at')}</th>
                <th scope="col">{t('ledger.entry')}</th>
                <th scope="col">{t('ledger.verification')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.data.items.map((item) => {
                const r = results[item.index];
                const at = typeof item.entry.at === 'number' ? item.entry.at : undefined;
                return (
                  <tr key={item.index} className={item.index === focusIndex ? 'highlight' : undefined}>
                    <th scope="row">{f.number(item.index)}</th>
                    <td>{t(`entryType.${String(item.entry.type)}`, { defaultValue: String(item.entry.type) })}</td>
                    <td>{at === undefined ? t('common.none') : f.dateTime(at)}</td>
                    <td>
                      <details>
                        <summary>{t('ledger.showEntry', { index: item.index })}</summary>
                        <pre className="entry-json">{JSON.stringify(item.entry, null, 2)}</pre>
                      </details>
                    </td>
                    <td>
                      <button type="button" onClick={() => void verify(item)}>
                        {t('ledger.verifyEntry', { index: item.index })}
                      </button>
                      <div aria-live="polite">
                        {typeof r === 'string' && (
                          <p className="notice error" data-testid={`verify-result-${item.index}`}>
                            {r}
                          </p>
                        )}
                        {r !== undefined && typeof r !== 'string' && <VerificationResult index={item.index} v={r} />}
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
