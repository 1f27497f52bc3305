import { useTranslation } from 'react-i18next';
import type { Overview } from '../api/types';
import { useApi } from '../api/use-api';
import { FlowDecisionsChart, OUTCOMES } from '../charts/flow-decisions-chart';
import { ErrorNotice } from '../components/error-notice';
import { Loading } from '../components/loading';
import { Stat } from '../components/stat';
import { utilization } from '../components/utilization';
import { useFormat } from '../i18n/format';
import { GbaMap } from '../map/gba-map';
import { href } from '../router';

export function OverviewPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const { data, error } = useApi<Overview>('/stats/overview', { pollMs: 5000 });
  return (
    <>
      <h1>{t('overview.title')}</h1>
      {error && <ErrorNotice error={error} />}
      {!data && !error && <Loading />}
      {data && (
        <div className="grid">
          <section aria-labelledby="ov-map" className="card wide">
            <h2 id="ov-map">{t('overview.sites')}</h2>
            <p className="hint">{t('overview.mapHint')}</p>
            <GbaMap sites={data.sites} />
            <table>
              <caption className="visually-hidden">{t('overview.sitesTable')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('site.name')}</th>
                  <th scope="col">{t('site.jurisdiction')}</th>
                  <th scope="col">{t('site.gpus')}</th>
                  <th scope="col">{t('site.utilization')}</th>
                  <th scope="col">{t('jobs.queued')}</th>
                  <th scope="col">{t('jobs.running')}</th>
                </tr>
              </thead>
              <tbody>
                {data.sites.map((s) => (
                  <tr key={s.id}>
                    <th scope="row">
                      <a href={href('sites', s.id)}>{s.name}</a>
                    </th>
                    <td>{t(`jurisdiction.${s.jurisdiction}`)}</td>
                    <td>{f.number(s.gpusTotal)}</td>
                    <td>{f.percent(utilization(s.gpusBusy, s.gpusTotal))}</td>
                    <td>{f.number(s.queued)}</td>
                    <td>{f.number(s.running)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section aria-labelledby="ov-jobs" className="card">
            <h2 id="ov-jobs">{t('overview.jobs')}</h2>
            <dl className="stats">
              <Stat label={t('jobs.queued')} value={f.number(data.jobs.queued)} />
              <Stat label={t('jobs.running')} value={f.number(data.jobs.running)} />
              <Stat label={t('jobState.succeeded')} value={f.number(data.jobs.succeeded)} />
              <Stat label={t('jobState.failed')} value={f.number(data.jobs.failed)} />
            </dl>
            <p>
              <a href={href('jobs')}>{t('overview.allJobs')}</a>
            </p>
          </section>
          <section aria-labelledby="ov-flows" className="card">
            <h2 id="ov-flows">{t('overview.flowsToday')}</h2>
            <FlowDecisionsChart counts={data.flowsToday} label={t('overview.flowsChart')} />
            <dl className="stats">
              {OUTCOMES.map((o) => (
                <Stat key={o} label={t(`decision.${o}`)} value={f.number(data.flowsToday[o] ?? 0)} />
              ))}
            </dl>
          </section>
          <section aria-labelledby="ov-ledger" className="card">
            <h2 id="ov-ledger">{t('overview.ledger')}</h2>
            <dl className="stats">
              <Stat label={t('ledger.size')} value={f.number(data.ledger.size)} />
              <Stat
                label={t('ledger.lastCheckpoint')}
                value={data.ledger.checkpointAt ? f.dateTime(data.ledger.checkpointAt) : t('common.none')}
              />
              <Stat
                label={t('ledger.cosigners')}
                value={data.ledger.cosigners.length ? data.ledger.cosigners.join(', ') : t('common.none')}
              />
            </dl>
            <p>
              <a href={href('ledger')}>{t('overview.verifyLedger')}</a>
            </p>
          </section>
        </div>
      )}
    </>
  );
}
