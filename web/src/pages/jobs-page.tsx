import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Job, Page, Site } from '../api/types';
import { useApi } from '../api/use-api';
import { useSession } from '../auth/session-context';
import { ErrorNotice } from '../components/error-notice';
import { netCost } from '../components/job-cost';
import { JOB_STATES } from '../components/job-states';
import { Loading } from '../components/loading';
import { StateBadge } from '../components/state-badge';
import { useFormat } from '../i18n/format';
import { href, navigate, withQuery } from '../router';

export function JobsPage({ query }: { query: URLSearchParams }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { can } = useSession();
  const state = query.get('state') ?? '';
  const site = query.get('site') ?? '';
  // Newest first, 100 a page; `after` (the cursor of the page before) is in the address, so a page can be linked.
  const after = query.get('after') ?? '';
  const jobs = useApi<Page<Job>>(withQuery('/jobs', { state, site, after, limit: '100' }), { pollMs: 3000 });
  const sites = useApi<Page<Site>>('/sites', { all: true });
  const stateId = useId();
  const siteId = useId();
  const siteName = (id: string): string => sites.data?.items.find((s) => s.id === id)?.name ?? id;
  const filter = (next: { state?: string; site?: string }): void =>
    navigate(withQuery('#/jobs', { state, site, ...next }));

  return (
    <>
      <h1>{t('jobs.title')}</h1>
      {can.submitJobs && (
        <p>
          <a className="button-link" href={href('jobs', 'new')}>
            {t('jobs.submit')}
          </a>
        </p>
      )}
      <form className="filters" aria-label={t('jobs.filters')} onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor={stateId}>{t('jobs.state')}</label>
          <select id={stateId} value={state} onChange={(e) => filter({ state: e.target.value })}>
            <option value="">{t('common.all')}</option>
            {JOB_STATES.map((s) => (
              <option key={s} value={s}>
                {t(`jobState.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={siteId}>{t('jobs.site')}</label>
          <select id={siteId} value={site} onChange={(e) => filter({ site: e.target.value })}>
            <option value="">{t('common.all')}</option>
            {sites.data?.items.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
      </form>
      {jobs.error && <ErrorNotice error={jobs.error} />}
      {!jobs.data && !jobs.error && <Loading />}
      {jobs.data &&
        (jobs.data.items.length === 0 ? (
          <p>{t('jobs.none')}</p>
        ) : (
          <table>
            <caption className="visually-hidden">{t('jobs.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('jobs.name')}</th>
                <th scope="col">{t('jobs.state')}</th>
                <th scope="col">{t('jobs.site')}</th>
                <th scope="col">{t('jobs.submittedAt')}</th>
                <th scope="col">{t('jobs.netCost')}</th>
              </tr>
            </thead>
            <tbody>
              {jobs.data.items.map((j) => (
                <tr key={j.id}>
                  <th scope="row">
                    <a href={href('jobs', j.id)}>{j.name}</a>
                  </th>
                  <td>
                    <StateBadge kind="jobState" value={j.state} />
                  </td>
                  <td>{j.placement ? (j.placement.siteName ?? siteName(j.placement.site)) : t('jobs.unplaced')}</td>
                  <td>{f.dateTime(j.submittedAt)}</td>
                  <td>{j.cost ? netCost(j.cost, f) : t('common.none')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      {jobs.data && (after !== '' || jobs.data.next !== null) && (
        <nav className="pager" aria-label={t('jobs.pages')}>
          {after !== '' && <a href={withQuery('#/jobs', { state, site })}>{t('jobs.newest')}</a>}
          {jobs.data.next !== null && (
            <a href={withQuery('#/jobs', { state, site, after: jobs.data.next })}>{t('jobs.older')}</a>
          )}
        </nav>
      )}
    </>
  );
}
