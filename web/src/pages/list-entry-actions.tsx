import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api/api-error';
import { apiJson } from '../api/client';
import type { ListEntry, ListState } from '../api/types';
import { useSession } from '../auth/session-context';
import { ErrorNotice } from '../components/error-notice';
import { Field } from '../components/field';

type Action = 'pilot' | 'assess' | 'list' | 'suspend' | 'reinstate' | 'revoke';

/** The general data list lifecycle (registry/list-lifecycle.ts): which actions each state allows. */
const FROM: Readonly<Record<Action, readonly ListState[]>> = {
  pilot: ['proposed', 'assessed'],
  assess: ['piloting'],
  list: ['assessed'],
  suspend: ['listed'],
  reinstate: ['suspended'],
  revoke: ['proposed', 'piloting', 'assessed', 'listed', 'suspended'],
};

export function allowedActions(state: ListState): Action[] {
  return (Object.keys(FROM) as Action[]).filter((a) => FROM[a].includes(state));
}

/** A regulator's lifecycle form for one list entry: action, reason, and for an assessment its result and evidence. */
export function ListEntryActions({ entry, onDone }: { entry: ListEntry; onDone: () => void }) {
  const { t } = useTranslation();
  const { token } = useSession();
  const actions = allowedActions(entry.state);
  const [action, setAction] = useState<Action | undefined>(actions[0]);
  const [reason, setReason] = useState('');
  const [result, setResult] = useState<'safe' | 'unsafe'>('safe');
  const [evidence, setEvidence] = useState('');
  const [error, setError] = useState<ApiError>();
  if (!action) return null;

  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault();
    if (!action) return;
    const body = action === 'assess' ? { reason, result, evidenceDigest: evidence } : { reason };
    try {
      await apiJson(`/general-data-list/${encodeURIComponent(entry.id)}/${action}`, { token, method: 'POST', body });
      setError(undefined);
      setReason('');
      onDone();
    } catch (err) {
      setError(err as ApiError);
    }
  }

  return (
    <form className="inline-form" onSubmit={submit} aria-label={t('list.changeFor', { type: entry.dataType })}>
      <Field label={t('list.action')}>
        {(id) => (
          <select id={id} value={action} onChange={(e) => setAction(e.target.value as Action)}>
            {actions.map((a) => (
              <option key={a} value={a}>
                {t(`listAction.${a}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('list.reason')}>
        {(id) => <input id={id} required value={reason} onChange={(e) => setReason(e.target.value)} />}
      </Field>
      {action === 'assess' && (
        <>
          <Field label={t('list.result')}>
            {(id) => (
              <select id={id} value={result} onChange={(e) => setResult(e.target.value as 'safe' | 'unsafe')}>
                <option value="safe">{t('list.safe')}</option>
                <option value="unsafe">{t('list.unsafe')}</option>
              </select>
            )}
          </Field>
          <Field label={t('list.evidence')} hint={t('list.evidenceHint')}>
            {(id, d) => (
              <input
                id={id}
                required
                pattern="[0-9a-f]{64}"
                aria-describedby={d}
                value={evidence}
                onChange={(e) => setEvidence(e.target.value)}
              />
            )}
          </Field>
        </>
      )}
      <button type="submit">{t('list.apply')}</button>
      {error && <ErrorNotice error={error} />}
    </form>
  );
}
