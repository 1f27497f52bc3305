import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DataType, ListEntry, Organization, Page, Scenario } from '../api/types';
import { useApi } from '../api/use-api';
import { useSession } from '../auth/session-context';
import { ErrorNotice } from '../components/error-notice';
import { Loading } from '../components/loading';
import { StateBadge } from '../components/state-badge';
import { useFormat } from '../i18n/format';
import { href } from '../router';
import { allowedActions, ListEntryActions } from './list-entry-actions';
import { ListEntryHistory } from './list-entry-history';
import { ListProposeForm } from './list-propose-form';

export function ScenarioPage({ id }: { id: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { can } = useSession();
  const scenario = useApi<Scenario>(`/scenarios/${encodeURIComponent(id)}`);
  const list = useApi<Page<ListEntry>>(`/general-data-list?scenario=${encodeURIComponent(id)}`);
  const types = useApi<{ items: readonly DataType[] }>('/data-types');
  const orgs = useApi<Page<Organization>>('/organizations', { all: true });
  const [open, setOpen] = useState<string>();
  const orgName = (oid: string): string => orgs.data?.items.find((o) => o.id === oid)?.name ?? oid;
  const s = scenario.data;
  if (!s) return scenario.error ? <ErrorNotice error={scenario.error} /> : <Loading />;

  return (
    <>
      <p>
        <a href={href('data')}>{t('scenario.back')}</a>
      </p>
      <h1>{s.title}</h1>
      <p>
        <code>{s.name}</code> · {s.zone ? t(`zone.${s.zone}`) : t('zone.none')}
      </p>
      <section aria-labelledby="sc-participants">
        <h2 id="sc-participants">{t('scenario.participants')}</h2>
        <ul>
          {s.participants.map((p) => (
            <li key={p.orgId}>
              {orgName(p.orgId)} — {t(`scenario.role.${p.role === 'lead' ? 'lead' : 'participant'}`)}
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="sc-list">
        <h2 id="sc-list">{t('scenario.generalDataList')}</h2>
        <p className="hint">{t('scenario.listHint')}</p>
        {list.error && <ErrorNotice error={list.error} />}
        {list.data &&
          (list.data.items.length === 0 ? (
            <p>{t('scenario.listEmpty')}</p>
          ) : (
            <table>
              <caption className="visually-hidden">{t('scenario.generalDataList')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('data.type')}</th>
                  <th scope="col">{t('list.state')}</th>
                  <th scope="col">{t('list.assessment')}</th>
                  <th scope="col">{t('list.effectiveFrom')}</th>
                  <th scope="col">{t('list.version')}</th>
                  <th scope="col">{t('list.details')}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((e) => (
                  <tr key={e.id}>
                    <th scope="row">
                      <code>{e.dataType}</code>
                    </th>
                    <td>
                      <StateBadge kind="listState" value={e.state} />
                    </td>
                    <td>{e.assessment ? t(`list.${e.assessment.result}`) : t('common.none')}</td>
                    <td>{e.effectiveFrom ? f.dateTime(e.effectiveFrom) : t('common.none')}</td>
                    <td>{f.number(e.version)}</td>
                    <td>
                      <button
                        type="button"
                        aria-expanded={open === e.id}
                        aria-controls={`entry-${e.id}`}
                        onClick={() => setOpen(open === e.id ? undefined : e.id)}
                      >
                        {t('list.historyFor', { type: e.dataType })}
                      </button>
                      {open === e.id && (
                        <div id={`entry-${e.id}`}>
                          <ListEntryHistory entryId={e.id} version={e.version} />
                          {can.changeListLifecycle && allowedActions(e.state).length > 0 && (
                            <ListEntryActions entry={e} onDone={list.reload} />
                          )}
                        </div>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ))}
        {can.proposeListEntries && types.data && (
          <>
            <h3>{t('list.proposeTitle')}</h3>
            <ListProposeForm scenarioId={s.id} types={types.data.items} onDone={list.reload} />
          </>
        )}
      </section>
    </>
  );
}
