import { useTranslation } from 'react-i18next';
import { href } from '../router';

/** Site-agent tokens drive the agent protocol; the dashboard has nothing for them but the public ledger. */
export function SiteAgentNotice() {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="agent-title" className="narrow">
      <h1 id="agent-title">{t('auth.agentTitle')}</h1>
      <p role="status">{t('auth.agentNotice')}</p>
      <p>
        <a href={href('ledger')}>{t('auth.agentLedger')}</a>
      </p>
    </section>
  );
}
