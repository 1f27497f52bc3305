import { useTranslation } from 'react-i18next';
import type { Decision } from '../api/types';
import { StateBadge } from '../components/state-badge';

/** A policy decision: outcome, channel, the rule that fired, its legal sources, conditions and the explanation. */
export function DecisionView({ decision, headingLevel = 2 }: { decision: Decision; headingLevel?: 2 | 3 }) {
  const { t } = useTranslation();
  const H = headingLevel === 2 ? 'h2' : 'h3';
  const Sub = headingLevel === 2 ? 'h3' : 'h4';
  return (
    <section className="decision card wide" aria-labelledby="decision-title" data-testid="decision">
      <H id="decision-title">
        {t('flows.decision')}: <StateBadge kind="decision" value={decision.decision} />
      </H>
      <p className="explanation">{decision.explanation}</p>
      <dl className="stats">
        <div className="stat">
          <dt>{t('flows.channel')}</dt>
          <dd>{t(`channel.${decision.channel}`, { defaultValue: decision.channel })}</dd>
        </div>
        <div className="stat">
          <dt>{t('flows.rule')}</dt>
          <dd>
            <code data-testid="decision-rule">{decision.ruleId}</code>
          </dd>
        </div>
        <div className="stat">
          <dt>{t('flows.rulebookVersion')}</dt>
          <dd>{decision.rulebookVersion}</dd>
        </div>
      </dl>
      <Sub>{t('flows.sources')}</Sub>
      <ul>
        {decision.sources.map((s) => (
          <li key={s}>
            <strong>{s}</strong> — {t(`source.${s}`, { defaultValue: s })}
          </li>
        ))}
      </ul>
      <Sub>{t('flows.conditions')}</Sub>
      {decision.conditions.length === 0 ? (
        <p>{t('flows.noConditions')}</p>
      ) : (
        <ul>
          {decision.conditions.map((c) => (
            <li key={c.id}>
              {c.text} <code className="code">{c.id}</code>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
