import { useTranslation } from 'react-i18next';
import type { Page, Site } from '../api/types';
import { useApi } from '../api/use-api';
import { AgentPresence } from '../components/agent-presence';
import { ErrorNotice } from '../components/error-notice';
import { Loading } from '../components/loading';
import { utilization } from '../components/utilization';
import { useFormat } from '../i18n/format';
import { href } from '../router';

export function SitesPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const sites = useApi<Page<Site>>('/sites', { pollMs: 10000, all: true });
  return (
    <>
      <h1>{t('sites.title')}</h1>
      {sites.error && <ErrorNotice error={sites.error} />}
      {!sites.data && !sites.error && <Loading />}
      {sites.data && (
        <table>
          <caption className="visually-hidden">{t('sites.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('site.name')}</th>
              <th scope="col">{t('site.jurisdiction')}</th>
              <th scope="col">{t('site.gpusByType')}</th>
              <th scope="col">{t('site.price')}</th>
              <th scope="col">{t('site.subsidies')}</th>
              <th scope="col">{t('site.utilization')}</th>
              <th scope="col">{t('site.agent')}</th>
            </tr>
          </thead>
          <tbody>
            {sites.data.items.map((s) => (
              <tr key={s.id}>
                <th scope="row">
                  <a href={href('sites', s.id)}>{s.name}</a>
                </th>
                <td>{t(`jurisdiction.${s.jurisdiction}`)}</td>
                <td>
                  {Object.entries(s.gpus)
                    .map(([g, n]) => `${g} × ${f.number(n)}`)
                    .join(', ')}
                </td>
                <td>{t('site.perGpuHour', { price: f.money(s.pricePerGpuHour, s.currency) })}</td>
                <td>
                  {s.subsidies.length
                    ? s.subsidies.map((p) => `${p.name} (${f.percent(p.rate)})`).join(', ')
                    : t('common.none')}
                </td>
                <td>{s.usage ? f.percent(utilization(s.usage.gpusBusy, s.usage.gpusTotal)) : t('common.none')}</td>
                <td>
                  <AgentPresence agent={s.agent} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
