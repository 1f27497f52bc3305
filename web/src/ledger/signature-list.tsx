import { useTranslation } from 'react-i18next';
import { useFormat } from '../i18n/format';
import type { SignatureResult } from './signed-note';

export function SignatureList({ results }: { results: readonly SignatureResult[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <ul className="signatures">
      {results.map((r) => (
        <li key={`${r.name}-${r.keyId}`} className={`sig sig-${r.status}`}>
          <strong>{r.name}</strong> · {t(`ledger.kind.${r.kind}`)} · {t(`ledger.status.${r.status}`)}
          {r.timestamp !== undefined && <> · {f.dateTime(r.timestamp * 1000)}</>}
        </li>
      ))}
    </ul>
  );
}
