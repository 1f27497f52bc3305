import { useTranslation } from 'react-i18next';
import { useSession } from './session-context';

/** "Signed in: <role>, <organization>" for the current token (GET /me). */
export function SignedInAs() {
  const { t } = useTranslation();
  const { me } = useSession();
  if (!me) return null;
  return (
    <span>
      {t('auth.signedInAs', { role: t(`role.${me.account.role}`), org: me.organization?.name ?? me.account.orgId })}
    </span>
  );
}
