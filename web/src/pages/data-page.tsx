import { useTranslation } from 'react-i18next';
import type { Dataset, DataType, Page, Scenario, Site } from '../api/types';
import { useApi } from '../api/use-api';
import { ErrorNotice } from '../components/error-notice';
import { Loading } from '../components/loading';
import { useFormat } from '../i18n/format';
import { href } from '../router';

export function DataPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const datasets = useApi<Page<Dataset>>('/datasets', { all: true });
  const types = useApi<{ items: readonly DataType[] }>('/data-types');
  const scenarios = useApi<Page<Scenario>>('/scenarios');
  const sites = useApi<Page<Site>>('/sites', { all: true });
  const siteName = (id: string): string => sites.data?.items.find((x) => x.id === id)?.name ?? id;
  const yesNo = (b: boolean): string => (b ? t('common.yes') : t('common.no'));
  return (
    <>
      <h1>{t('data.title')}</h1>
      <section aria-labelledby="data-scenarios">
        <h2 id="data-scenarios">{t('data.scenarios')}</h2>
        {scenarios.error && <ErrorNotice error={scenarios.error} />}
        {!scenarios.data && !scenarios.error && <Loading />}
        <ul className="cards">
          {scenarios.data?.items.map((s) => (
            <li key={s.id} className="card">
              <h3>
                <a href={href('scenarios', s.id)}>{s.title}</a>
              </h3>
              <p>
                {s.zone ? t(`zone.${s.zone}`) : t('zone.none')} ·{' '}
                {t('data.participantCount', { n: s.participants.length })}
              </p>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="data-datasets">
        <h2 id="data-datasets">{t('data.datasets')}</h2>
        {datasets.error && <ErrorNotice error={datasets.error} />}
        {datasets.data && (
          <table>
            <caption className="visually-hidden">{t('data.datasets')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('data.name')}</th>
                <th scope="col">{t('data.type')}</th>
                <th scope="col">{t('data.classification')}</th>
                <th scope="col">{t('data.personalInfo')}</th>
                <th scope="col">{t('data.individuals')}</th>
                <th scope="col">{t('data.size')}</th>
                <th scope="col">{t('jobs.site')}</th>
              </tr>
            </thead>
            <tbody>
              {datasets.data.items.map((d) => (
                <tr key={d.id}>
                  <th scope="row">{d.name}</th>
                  <td>
                    <code>{d.dataType}</code>
                  </td>
                  <td>{t(`classification.${d.classification}`)}</td>
                  <td>{d.sensitivePersonalInfo ? t('data.sensitive') : yesNo(d.containsPersonalInfo)}</td>
                  <td>{f.number(d.individuals)}</td>
                  <td>{f.bytes(d.sizeBytes)}</td>
                  <td>
                    <a href={href('sites', d.siteId)}>{siteName(d.siteId)}</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="data-types">
        <h2 id="data-types">{t('data.types')}</h2>
        {types.error && <ErrorNotice error={types.error} />}
        {types.data && (
          <table>
            <caption className="visually-hidden">{t('data.types')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('data.typeName')}</th>
                <th scope="col">{t('data.typeTitle')}</th>
                <th scope="col">{t('data.defaultClassification')}</th>
                <th scope="col">{t('data.personalInfo')}</th>
                <th scope="col">{t('data.sensitive')}</th>
              </tr>
            </thead>
            <tbody>
              {types.data.items.map((d) => (
                <tr key={d.name}>
                  <th scope="row">
                    <code>{d.name}</code>
                  </th>
                  <td>{d.title}</td>
                  <td>{t(`classification.${d.defaultClassification}`)}</td>
                  <td>{yesNo(d.containsPersonalInfo)}</td>
                  <td>{yesNo(d.sensitivePersonalInfo)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
