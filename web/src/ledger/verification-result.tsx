import { useTranslation } from 'react-i18next';
import { useFormat } from '../i18n/format';
import { SignatureList } from './signature-list';
import type { EntryVerification } from './verify-entry';

export function VerificationResult({ index, v }: { index: number; v: EntryVerification }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <div className={`notice ${v.ok ? 'success' : 'error'}`} data-testid={`verify-result-${index}`}>
      <p>
        <strong>{v.ok ? t('ledger.verified', { size: f.number(v.checkpointSize) }) : t('ledger.notVerified')}</strong>
      </p>
      <ul>
        <li>{v.leafMatches ? t('ledger.leafOk') : t('ledger.leafBad')}</li>
        <li>{v.rootMatches ? t('ledger.rootOk') : t('ledger.rootBad')}</li>
        <li>{v.signed ? t('ledger.sigOk') : t('ledger.sigBad')}</li>
      </ul>
      <SignatureList results={v.signatures} />
    </div>
  );
}
