import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api/api-error';
import { apiJson } from '../api/client';
import type { Job } from '../api/types';
import { useApi } from '../api/use-api';
import { useSession } from '../auth/session-context';
import { ErrorNotice } from '../components/error-notice';
import { netCost } from '../components/job-cost';
import { isTerminal } from '../components/job-states';
import { Loading } from '../components/loading';
import { Stat } from '../components/stat';
import { StateBadge } from '../components/state-badge';
import { useFormat } from '../i18n/format';
import { href } from '../router';
import { JobLogs } from './job-logs';

export function JobPage({ id }: { id: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { token, can } = useSession();
  const [cancelError, setCancelError] = useState<ApiError>();
  const job = useApi<Job>(`/jobs/${encodeURIComponent(id)}`, { pollMs: 1000 });
  const j = job.data;

  async function cancel(): Promise<void> {
    try {
      await apiJson(`/jobs/${encodeURIComponent(id)}/cancel`, { token, method: 'POST', body: {} });
      job.reload();
    } catch (e) {
      setCancelError(e as ApiError);
    }
  }

  if (!j) return job.error ? <ErrorNotice error={job.error} /> : <Loading />;
  const live = !isTerminal(j.state);
  return (
    <>
      <p>
        <a href={href('jobs')}>{t('job.back')}</a>
      </p>
      <h1>{t('job.title', { name: j.name })}</h1>
      <div className="grid">
        <section aria-labelledby="job-summary" className="card">
          <h2 id="job-summary">{t('job.summary')}</h2>
          <p aria-live="polite" data-testid="job-state">
            {t('jobs.state')}: <StateBadge kind="jobState" value={j.state} />
          </p>
          <dl className="stats">
            <Stat label={t('job.id')} value={j.id} />
            <Stat label={t('jobs.submittedAt')} value={f.dateTime(j.submittedAt)} />
            <Stat label={t('job.command')} value={j.spec.run} />
            <Stat label={t('job.gpus')} value={f.number(j.spec.resources?.gpus ?? 0)} />
            {j.spec.preemptible && <Stat label={t('job.preemptible')} value={t('common.yes')} />}
            {j.placement?.gpuType && <Stat label={t('site.gpuType')} value={j.placement.gpuType} />}
            {j.execution && <Stat label={t('job.executor')} value={j.execution.executor} />}
            {j.execution?.exitCode != null && <Stat label={t('job.exitCode')} value={String(j.execution.exitCode)} />}
          </dl>
          {live && can.submitJobs && (
            <button type="button" className="danger" onClick={() => void cancel()}>
              {t('job.cancel')}
            </button>
          )}
          {cancelError && <ErrorNotice error={cancelError} />}
        </section>
        <section aria-labelledby="job-placement" className="card">
          <h2 id="job-placement">{t('job.placement')}</h2>
          {j.placement ? (
            <>
              <p>
                {t('job.placedAt')}{' '}
                <a href={href('sites', j.placement.site)}>{j.placement.siteName ?? j.placement.site}</a>
              </p>
              <p data-testid="placement-explanation">{j.placement.explanation}</p>
              {j.placement.alternatives && j.placement.alternatives.length > 0 && (
                <>
                  <h3>{t('job.alternatives')}</h3>
                  <ul>
                    {j.placement.alternatives.map((a) => (
                      <li key={a.site ?? a.siteId ?? a.reason}>{a.reason}</li>
                    ))}
                  </ul>
                </>
              )}
            </>
          ) : (
            <>
              <p>{t('job.notPlaced')}</p>
              {j.waitingReason && <p>{t('job.waiting', { reason: j.waitingReason })}</p>}
            </>
          )}
        </section>
        <section aria-labelledby="job-cost" className="card">
          <h2 id="job-cost">{t('job.cost')}</h2>
          {j.cost ? (
            <>
              {j.cost.currency !== null && j.cost.gross !== null && j.cost.subsidy !== null ? (
                <dl className="stats">
                  <Stat label={t('job.gross')} value={f.money(j.cost.gross, j.cost.currency)} />
                  <Stat label={t('job.subsidy')} value={f.money(j.cost.subsidy, j.cost.currency)} />
                  <Stat label={t('job.net')} value={netCost(j.cost, f)} />
                </dl>
              ) : (
                <p>{t('job.netBySite', { net: netCost(j.cost, f) })}</p>
              )}
              {(j.cost.lines?.length ?? 0) > 1 && (
                <table>
                  <caption>{t('job.bySite')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('job.site')}</th>
                      <th scope="col">{t('job.gpuHours')}</th>
                      <th scope="col">{t('job.gross')}</th>
                      <th scope="col">{t('job.subsidy')}</th>
                      <th scope="col">{t('job.net')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {j.cost.lines?.map((l) => (
                      <tr key={l.siteId}>
                        <th scope="row">{l.siteName}</th>
                        <td>{l.gpuHours.toFixed(2)}</td>
                        <td>{f.money(l.gross, l.currency)}</td>
                        <td>{f.money(l.subsidy, l.currency)}</td>
                        <td>{f.money(l.net, l.currency)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </>
          ) : (
            <p>{t('job.noCost')}</p>
          )}
        </section>
        <section aria-labelledby="job-timeline" className="card">
          <h2 id="job-timeline">{t('job.timeline')}</h2>
          <ol className="timeline">
            {(j.events ?? []).map((e) => (
              <li key={`${e.at}-${e.to}`}>
                <time dateTime={new Date(e.at).toISOString()}>{f.dateTime(e.at)}</time>{' '}
                <StateBadge kind="jobState" value={e.to} />
                {e.reason ? <span className="reason"> {e.reason}</span> : null}
              </li>
            ))}
          </ol>
        </section>
        <JobLogs id={j.id} live={live} />
      </div>
    </>
  );
}
