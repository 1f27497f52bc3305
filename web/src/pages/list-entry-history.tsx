import { useTranslation } from 'react-i18next';
import type { ListHistoryItem } from '../api/types';
import { useApi } from '../api/use-api';
import { ErrorNotice } from '../components/error-notice';
import { Loading } from '../components/loading';
import { StateBadge } from '../components/state-badge';
import { useFormat } from '../i18n/format';

export function ListEntryHistory({ entryId, version }: { entryId: string; version: number }) {
  const { t } = useTranslation();
  const f = useFormat();
  // version in the key: refetch after a lifecycle change
  const h = useApi<{ items: readonly ListHistoryItem[] }>(
    `/general-data-list/${encodeURIComponent(entryId)}/history?v=${version}`,
  );
  if (h.error) return <ErrorNotice error={h.error} />;
  if (!h.data) return <Loading />;
  return (
    <ol className="timeline">
      {h.data.items.map((i) => (
        <li key={i.version}>
          <time dateTime={new Date(i.at).toISOString()}>{f.dateTime(i.at)}</time>{' '}
          {t('list.versionN', { version: i.version })} <StateBadge kind="listState" value={i.state} /> {i.actor}
          {i.reason ? `: ${i.reason}` : ''}
        </li>
      ))}
    </ol>
  );
}
