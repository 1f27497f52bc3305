import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/session-context';
import { FlowHistory } from './flow-history';
import { FlowQuestionForm } from './flow-question-form';

export function FlowsPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  return (
    <>
      <h1>{t('flows.title')}</h1>
      {can.askFlows && (
        <section aria-labelledby="flow-ask">
          <h2 id="flow-ask">{t('flows.askTitle')}</h2>
          <p className="hint">{t('flows.askIntro')}</p>
          <FlowQuestionForm />
        </section>
      )}
      <section aria-labelledby="flow-history">
        <h2 id="flow-history">{t('flows.history')}</h2>
        <FlowHistory />
      </section>
    </>
  );
}
