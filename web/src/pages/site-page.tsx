import { useTranslation } from 'react-i18next';
import type { Site, UtilizationSample } from '../api/types';
import { useApi } from '../api/use-api';
import { UtilizationChart } from '../charts/utilization-chart';
import { AgentPresence } from '../components/agent-presence';
import { ErrorNotice } from '../components/error-notice';
import { Loading } from '../components/loading';
import { Stat } from '../components/stat';
import { utilization } from '../components/utilization';
import { useFormat } from '../i18n/format';
import { href } from '../router';

export function SitePage({ id }: { id: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const site = useApi<Site>(`/sites/${encodeURIComponent(id)}`, { pollMs: 10000 });
  const util = useApi<{ items: readonly UtilizationSample[] }>(
    `/sites/${encodeURIComponent(id)}/utilization?hours=24`,
    {
      pollMs: 60000,
    },
  );
  const s = site.data;
  if (!s) return site.error ? <ErrorNotice error={site.error} /> : <Loading />;
  const samples = util.data?.items ?? [];
  const last = samples[samples.length - 1];
  return (
    <>
      <p>
        <a href={href('sites')}>{t('sites.back')}</a>
      </p>
      <h1>{s.name}</h1>
      <div className="grid">
        <section aria-labelledby="site-capacity" className="card">
          <h2 id="site-capacity">{t('site.capacity')}</h2>
          <table>
            <caption className="visually-hidden">{t('site.gpusByType')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('site.gpuType')}</th>
                <th scope="col">{t('site.gpus')}</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(s.gpus).map(([g, n]) => (
                <tr key={g}>
                  <th scope="row">{g}</th>
                  <td>{f.number(n)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <dl className="stats">
            <Stat label={t('site.jurisdiction')} value={t(`jurisdiction.${s.jurisdiction}`)} />
            {s.usage && <Stat label={t('jobs.queued')} value={f.number(s.usage.queued)} />}
            {s.usage && <Stat label={t('jobs.running')} value={f.number(s.usage.running)} />}
            {s.agent && <Stat label={t('site.agent')} value={<AgentPresence agent={s.agent} />} />}
          </dl>
        </section>
        <section aria-labelledby="site-price" className="card">
          <h2 id="site-price">{t('site.priceAndSubsidy')}</h2>
          <p>{t('site.perGpuHour', { price: f.money(s.pricePerGpuHour, s.currency) })}</p>
          {s.subsidies.length === 0 ? (
            <p>{t('site.noSubsidies')}</p>
          ) : (
            <ul>
              {s.subsidies.map((p) => (
                <li key={p.id}>
                  <strong>{p.name}</strong>:{' '}
                  {t('site.subsidyLine', {
                    rate: f.percent(p.rate),
                    startup: p.startupRate === null ? f.percent(p.rate) : f.percent(p.startupRate),
                    cap: f.money(p.capPerOrg, p.currency),
                    who: p.eligibleJurisdictions.map((j) => t(`jurisdiction.${j}`)).join(', '),
                  })}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="site-util" className="card wide">
          <h2 id="site-util">{t('site.utilizationOverTime')}</h2>
          {util.error && <ErrorNotice error={util.error} />}
          <UtilizationChart samples={samples} label={t('site.utilizationChart', { name: s.name })} />
          {last && (
            <p>
              {t('site.latestSample', {
                at: f.dateTime(last.at),
                busy: f.number(last.gpusBusy),
                total: f.number(last.gpusTotal),
                util: f.percent(utilization(last.gpusBusy, last.gpusTotal)),
              })}
            </p>
          )}
        </section>
      </div>
    </>
  );
}
