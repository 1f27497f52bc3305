import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FlowRecord, Organization, Page } from '../api/types';
import { useApi } from '../api/use-api';
import { ErrorNotice } from '../components/error-notice';
import { Loading } from '../components/loading';
import { StateBadge } from '../components/state-badge';
import { useFormat } from '../i18n/format';
import { withQuery } from '../router';
import { DecisionView } from './decision-view';

/** The real flow requests the caller may see (GET /flows), newest first, each expandable to its decision. */
export function FlowHistory() {
  const { t } = useTranslation();
  const f = useFormat();
  const flows = useApi<Page<FlowRecord>>('/flows?limit=100', { pollMs: 10000 });
  const orgs = useApi<Page<Organization>>('/organizations', { all: true });
  const [open, setOpen] = useState<string>();
  const org = (id: string): string => orgs.data?.items.find((o) => o.id === id)?.name ?? id;
  if (flows.error) return <ErrorNotice error={flows.error} />;
  if (!flows.data) return <Loading />;
  if (flows.data.items.length === 0) return <p>{t('flows.noHistory')}</p>;
  const items = [...flows.data.items].sort((a, b) => b.at - a.at);
  return (
    <table>
      <caption className="visually-hidden">{t('flows.history')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('flows.when')}</th>
          <th scope="col">{t('flows.exporter')}</th>
          <th scope="col">{t('flows.importer')}</th>
          <th scope="col">{t('flows.dataset')}</th>
          <th scope="col">{t('flows.decision')}</th>
          <th scope="col">{t('flows.ledgerIndex')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((r) => (
          <tr key={r.id}>
            <td>{f.dateTime(r.at)}</td>
            <td>{org(r.exporterOrgId)}</td>
            <td>{org(r.importerOrgId)}</td>
            <td>
              <code>{r.datasetId}</code>
            </td>
            <td>
              <button
                type="button"
                className="link-button"
                aria-expanded={open === r.id}
                onClick={() => setOpen(open === r.id ? undefined : r.id)}
              >
                <StateBadge kind="decision" value={r.outcome} />
                <span className="visually-hidden"> {t('flows.showDecision')}</span>
              </button>
              {open === r.id && <DecisionView decision={r.decision} headingLevel={3} />}
            </td>
            <td>
              {r.ledgerIndex === null ? (
                t('common.none')
              ) : (
                <a href={withQuery('#/ledger', { index: String(r.ledgerIndex) })}>{f.number(r.ledgerIndex)}</a>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
