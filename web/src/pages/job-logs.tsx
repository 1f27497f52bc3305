import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../api/use-api';

/** The job's output, polled every second until the job ends (then fetched once more and left alone). */
export function JobLogs({ id, live }: { id: string; live: boolean }) {
  const { t } = useTranslation();
  const logs = useApi<string>(`/jobs/${encodeURIComponent(id)}/logs`, { text: true, pollMs: live ? 1000 : undefined });
  const pre = useRef<HTMLPreElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll to the end whenever new output arrives
  useEffect(() => {
    if (pre.current) pre.current.scrollTop = pre.current.scrollHeight;
  }, [logs.data]);
  return (
    <section aria-labelledby="job-logs" className="card wide">
      <h2 id="job-logs">{t('job.logs')}</h2>
      {live && <p className="hint">{t('job.logsLive')}</p>}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: the log scrolls, so keyboard users must be able to reach it */}
      <pre ref={pre} className="logs" tabIndex={0} role="log" aria-labelledby="job-logs" data-testid="job-logs">
        {logs.data ? logs.data : logs.error ? logs.error.message : t('job.noLogs')}
      </pre>
    </section>
  );
}
