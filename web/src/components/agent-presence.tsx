import { useTranslation } from 'react-i18next';
import type { SiteAgentPresence } from '../api/types';
import { useFormat } from '../i18n/format';

/** Whether a site's agent is calling the exchange, in a phrase; a silent site takes no new work. */
export function AgentPresence({ agent }: { readonly agent: SiteAgentPresence | undefined }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (!agent) return <>{t('common.none')}</>;
  if (agent.silentSince !== null) {
    const key = agent.lastHeardAt === null ? 'site.agentNever' : 'site.agentSilent';
    return <span className="warning">{t(key, { at: f.dateTime(agent.silentSince) })}</span>;
  }
  if (agent.lastHeardAt === null) return <>{t('site.agentWaiting')}</>;
  return <>{t('site.agentOnline', { at: f.time(agent.lastHeardAt) })}</>;
}
