import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api/api-error';
import { apiJson } from '../api/client';
import type { Dataset, Job, JobSpec, Page, Site } from '../api/types';
import { useApi } from '../api/use-api';
import { useSession } from '../auth/session-context';
import { ErrorNotice } from '../components/error-notice';
import { Checkbox, Field } from '../components/field';
import { href, navigate } from '../router';

const int = (s: string): number | undefined => (s.trim() === '' ? undefined : Number(s));

export function JobSubmitPage() {
  const { t } = useTranslation();
  const { token, can } = useSession();
  const sites = useApi<Page<Site>>('/sites', { all: true });
  const datasets = useApi<Page<Dataset>>('/datasets', { all: true });
  const [name, setName] = useState('');
  const [run, setRun] = useState('');
  const [gpus, setGpus] = useState('1');
  const [gpuTypes, setGpuTypes] = useState<string[]>([]);
  const [cpus, setCpus] = useState('');
  const [memoryGb, setMemoryGb] = useState('');
  const [timeLimit, setTimeLimit] = useState('60');
  const [chosen, setChosen] = useState<string[]>([]);
  const [preemptible, setPreemptible] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const types = [...new Set(sites.data?.items.flatMap((s) => Object.keys(s.gpus)) ?? [])].sort();
  const toggle = (list: string[], v: string, on: boolean): string[] =>
    on ? [...list, v] : list.filter((x) => x !== v);

  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault();
    const resources = {
      gpus: int(gpus),
      gpuTypes: gpuTypes.length ? gpuTypes : undefined,
      cpus: int(cpus),
      memoryGb: int(memoryGb),
      timeLimitMinutes: int(timeLimit),
    };
    const spec: JobSpec = {
      name: name.trim(),
      run,
      resources,
      datasets: chosen.length ? chosen : undefined,
      preemptible: preemptible || undefined,
    };
    setBusy(true);
    try {
      const job = await apiJson<Job>('/jobs', { token, method: 'POST', body: spec });
      navigate(href('jobs', job.id));
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  }

  if (!can.submitJobs) return <p className="notice">{t('jobs.cannotSubmit')}</p>;
  return (
    <section aria-labelledby="submit-title">
      <p>
        <a href={href('jobs')}>{t('job.back')}</a>
      </p>
      <h1 id="submit-title">{t('jobs.submitTitle')}</h1>
      <form className="form" onSubmit={submit}>
        <Field label={t('jobs.name')}>
          {(id) => <input id={id} required value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label={t('job.command')} hint={t('jobs.commandHint')}>
          {(id, d) => (
            <textarea
              id={id}
              required
              rows={3}
              aria-describedby={d}
              value={run}
              onChange={(e) => setRun(e.target.value)}
            />
          )}
        </Field>
        <div className="row">
          <Field label={t('job.gpus')}>
            {(id) => <input id={id} type="number" min={0} value={gpus} onChange={(e) => setGpus(e.target.value)} />}
          </Field>
          <Field label={t('jobs.cpus')}>
            {(id) => <input id={id} type="number" min={1} value={cpus} onChange={(e) => setCpus(e.target.value)} />}
          </Field>
          <Field label={t('jobs.memoryGb')}>
            {(id) => (
              <input id={id} type="number" min={1} value={memoryGb} onChange={(e) => setMemoryGb(e.target.value)} />
            )}
          </Field>
          <Field label={t('jobs.timeLimit')}>
            {(id) => (
              <input id={id} type="number" min={1} value={timeLimit} onChange={(e) => setTimeLimit(e.target.value)} />
            )}
          </Field>
        </div>
        {types.length > 0 && (
          <fieldset>
            <legend>{t('jobs.gpuTypes')}</legend>
            {types.map((g) => (
              <Checkbox
                key={g}
                label={g}
                checked={gpuTypes.includes(g)}
                onChange={(on) => setGpuTypes(toggle(gpuTypes, g, on))}
              />
            ))}
          </fieldset>
        )}
        {datasets.data && datasets.data.items.length > 0 && (
          <fieldset>
            <legend>{t('jobs.datasets')}</legend>
            {datasets.data.items.map((d) => (
              <Checkbox
                key={d.id}
                label={`${d.name} (${d.dataType})`}
                checked={chosen.includes(d.id)}
                onChange={(on) => setChosen(toggle(chosen, d.id, on))}
              />
            ))}
          </fieldset>
        )}
        <Checkbox label={t('jobs.preemptible')} checked={preemptible} onChange={setPreemptible} />
        <button type="submit" disabled={busy}>
          {t('jobs.submitButton')}
        </button>
      </form>
      {error && <ErrorNotice error={error} context={t('jobs.submitFailed')} />}
    </section>
  );
}
