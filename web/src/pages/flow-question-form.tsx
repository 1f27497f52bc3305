import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api/api-error';
import { apiJson } from '../api/client';
import type { Classification, DataType, Decision, FlowContext, Jurisdiction, Zone } from '../api/types';
import { useApi } from '../api/use-api';
import { useSession } from '../auth/session-context';
import { ErrorNotice } from '../components/error-notice';
import { Checkbox, Field } from '../components/field';
import { DecisionView } from './decision-view';
import { CLASSIFICATIONS, DEFAULT_FLOW, JURISDICTIONS, PURPOSES } from './flow-defaults';

/** "May this data go there?": a flow context (rulebook.md "Input") sent to POST /flows/decide; nothing is recorded. */
export function FlowQuestionForm() {
  const { t } = useTranslation();
  const { token } = useSession();
  const types = useApi<{ items: readonly DataType[] }>('/data-types');
  const [ctx, setCtx] = useState<FlowContext>(DEFAULT_FLOW);
  const [decision, setDecision] = useState<Decision>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const typesList = useId();
  const purposesList = useId();
  const ex = <K extends keyof FlowContext['exporter']>(k: K, v: FlowContext['exporter'][K]) =>
    setCtx({ ...ctx, exporter: { ...ctx.exporter, [k]: v } });
  const im = <K extends keyof FlowContext['importer']>(k: K, v: FlowContext['importer'][K]) =>
    setCtx({ ...ctx, importer: { ...ctx.importer, [k]: v } });
  const da = <K extends keyof FlowContext['data']>(k: K, v: FlowContext['data'][K]) =>
    setCtx({ ...ctx, data: { ...ctx.data, [k]: v } });
  const count = (s: string): number => (s === '' ? 0 : Number(s));

  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault();
    setBusy(true);
    try {
      setDecision(await apiJson<Decision>('/flows/decide', { token, method: 'POST', body: ctx }));
      setError(undefined);
    } catch (err) {
      setDecision(undefined);
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  }

  const jurisdictionSelect = (value: Jurisdiction, on: (j: Jurisdiction) => void) => (id: string) => (
    <select id={id} value={value} onChange={(e) => on(e.target.value as Jurisdiction)}>
      {JURISDICTIONS.map((j) => (
        <option key={j} value={j}>
          {t(`jurisdiction.${j}`)}
        </option>
      ))}
    </select>
  );

  return (
    <>
      <form className="form flow-form" onSubmit={submit}>
        <fieldset>
          <legend>{t('flows.exporter')}</legend>
          <Field label={t('flows.jurisdiction')}>
            {jurisdictionSelect(ctx.exporter.jurisdiction, (j) => ex('jurisdiction', j))}
          </Field>
          <Field label={t('flows.zone')}>
            {(id) => (
              <select
                id={id}
                value={ctx.exporter.zone ?? ''}
                onChange={(e) => ex('zone', (e.target.value || null) as Zone | null)}
              >
                <option value="">{t('zone.none')}</option>
                <option value="qianhai">{t('zone.qianhai')}</option>
                <option value="hetao-sz">{t('zone.hetao-sz')}</option>
              </select>
            )}
          </Field>
          <Checkbox label={t('flows.isCIIO')} checked={ctx.exporter.isCIIO} onChange={(v) => ex('isCIIO', v)} />
          <Field label={t('flows.annualPi')} hint={t('flows.annualHint')}>
            {(id, d) => (
              <input
                id={id}
                type="number"
                min={0}
                step={1}
                aria-describedby={d}
                value={ctx.exporter.annualPiIndividualsExported}
                onChange={(e) => ex('annualPiIndividualsExported', count(e.target.value))}
              />
            )}
          </Field>
          <Field label={t('flows.annualSensitivePi')}>
            {(id) => (
              <input
                id={id}
                type="number"
                min={0}
                step={1}
                value={ctx.exporter.annualSensitivePiIndividualsExported}
                onChange={(e) => ex('annualSensitivePiIndividualsExported', count(e.target.value))}
              />
            )}
          </Field>
        </fieldset>
        <fieldset>
          <legend>{t('flows.importer')}</legend>
          <Field label={t('flows.jurisdiction')}>
            {jurisdictionSelect(ctx.importer.jurisdiction, (j) => im('jurisdiction', j))}
          </Field>
          <Checkbox
            label={t('flows.associated')}
            checked={ctx.importer.associatedWithExporter}
            onChange={(v) => im('associatedWithExporter', v)}
          />
          <Checkbox
            label={t('flows.onwardTransfer')}
            checked={ctx.importer.onwardTransferOutsideGba}
            onChange={(v) => im('onwardTransferOutsideGba', v)}
          />
        </fieldset>
        <fieldset>
          <legend>{t('flows.data')}</legend>
          <Field label={t('data.type')}>
            {(id) => (
              <input
                id={id}
                required
                list={typesList}
                value={ctx.data.type}
                onChange={(e) => da('type', e.target.value)}
              />
            )}
          </Field>
          <datalist id={typesList}>
            {types.data?.items.map((d) => (
              <option key={d.name} value={d.name}>
                {d.title}
              </option>
            ))}
          </datalist>
          <Field label={t('data.classification')}>
            {(id) => (
              <select
                id={id}
                value={ctx.data.classification}
                onChange={(e) => da('classification', e.target.value as Classification)}
              >
                {CLASSIFICATIONS.map((c) => (
                  <option key={c} value={c}>
                    {t(`classification.${c}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Checkbox
            label={t('flows.containsPi')}
            checked={ctx.data.containsPersonalInfo}
            onChange={(v) => da('containsPersonalInfo', v)}
          />
          <Checkbox
            label={t('flows.sensitivePi')}
            checked={ctx.data.sensitivePersonalInfo}
            onChange={(v) => da('sensitivePersonalInfo', v)}
          />
          <Checkbox
            label={t('flows.originAbroad')}
            checked={ctx.data.origin === 'abroad'}
            onChange={(v) => da('origin', v ? 'abroad' : 'local')}
          />
          <Checkbox
            label={t('flows.onList')}
            checked={ctx.data.onGeneralDataList}
            onChange={(v) => da('onGeneralDataList', v)}
          />
          <Field label={t('flows.scenario')}>
            {(id) => (
              <input id={id} value={ctx.data.scenario ?? ''} onChange={(e) => da('scenario', e.target.value || null)} />
            )}
          </Field>
          <Field label={t('flows.purpose')} hint={t('flows.purposeHint')}>
            {(id, d) => (
              <input
                id={id}
                required
                list={purposesList}
                aria-describedby={d}
                value={ctx.data.purpose}
                onChange={(e) => da('purpose', e.target.value)}
              />
            )}
          </Field>
          <datalist id={purposesList}>
            {PURPOSES.map((p) => (
              <option key={p} value={p} />
            ))}
          </datalist>
        </fieldset>
        <fieldset>
          <legend>{t('flows.options')}</legend>
          <Checkbox
            label={t('flows.gbaElected')}
            checked={ctx.options.gbaStandardContractElected}
            onChange={(v) => setCtx({ ...ctx, options: { gbaStandardContractElected: v } })}
          />
        </fieldset>
        <button type="submit" disabled={busy}>
          {t('flows.ask')}
        </button>
      </form>
      <div aria-live="polite">
        {error && <ErrorNotice error={error} context={t('flows.invalid')} />}
        {decision && <DecisionView decision={decision} headingLevel={3} />}
      </div>
    </>
  );
}
