import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../api/use-api';
import { ErrorNotice } from '../components/error-notice';
import { Loading } from '../components/loading';
import { cryptoAvailable } from './bytes';
import type { VerifierKey } from './note-keys';
import { SignatureList } from './signature-list';
import { type SignatureResult, verifyNote } from './signed-note';

/** The latest checkpoint as served, and its signatures checked here with WebCrypto against the pinned keys. */
export function CheckpointPanel({ keys }: { keys: readonly VerifierKey[] }) {
  const { t } = useTranslation();
  const cp = useApi<string>('/ledger/checkpoint', { text: true });
  const [results, setResults] = useState<readonly SignatureResult[]>();
  const [problem, setProblem] = useState<string>();

  async function verify(): Promise<void> {
    if (!cp.data) return;
    if (!cryptoAvailable()) return setProblem(t('ledger.noCrypto'));
    try {
      setResults((await verifyNote(cp.data, keys)).results);
      setProblem(undefined);
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    }
  }

  return (
    <section aria-labelledby="ledger-cp" className="card wide">
      <h2 id="ledger-cp">{t('ledger.checkpoint')}</h2>
      {cp.error && <ErrorNotice error={cp.error} />}
      {!cp.data && !cp.error && <Loading />}
      {cp.data && (
        <>
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: the note scrolls, so keyboard users must be able to reach it */}
          <pre className="note" tabIndex={0}>
            {cp.data}
          </pre>
          <button type="button" onClick={() => void verify()}>
            {t('ledger.verifyCheckpoint')}
          </button>
        </>
      )}
      <div aria-live="polite" data-testid="checkpoint-result">
        {problem && <p className="notice error">{problem}</p>}
        {results && <SignatureList results={results} />}
      </div>
    </section>
  );
}
