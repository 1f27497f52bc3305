import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api/api-error';
import { apiJson } from '../api/client';
import type { DataType } from '../api/types';
import { useSession } from '../auth/session-context';
import { ErrorNotice } from '../components/error-notice';
import { Field } from '../components/field';

/** Proposes a data type for a scenario's general data list (org-admins of participants, regulators). */
export function ListProposeForm({
  scenarioId,
  types,
  onDone,
}: {
  scenarioId: string;
  types: readonly DataType[];
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const { token } = useSession();
  const [dataType, setDataType] = useState(types[0]?.name ?? '');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ApiError>();

  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault();
    try {
      await apiJson('/general-data-list', { token, method: 'POST', body: { scenarioId, dataType, reason } });
      setError(undefined);
      setReason('');
      onDone();
    } catch (err) {
      setError(err as ApiError);
    }
  }

  return (
    <form className="form" onSubmit={submit}>
      <Field label={t('data.type')}>
        {(id) => (
          <select id={id} value={dataType} onChange={(e) => setDataType(e.target.value)}>
            {types.map((d) => (
              <option key={d.name} value={d.name}>
                {d.name} — {d.title}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('list.reason')}>
        {(id) => <input id={id} required value={reason} onChange={(e) => setReason(e.target.value)} />}
      </Field>
      <button type="submit">{t('list.propose')}</button>
      {error && <ErrorNotice error={error} />}
    </form>
  );
}
