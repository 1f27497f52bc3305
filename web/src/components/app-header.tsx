import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/session-context';
import { SignedInAs } from '../auth/signed-in-as';
import { LanguageSwitcher } from '../i18n/language-switcher';
import { href } from '../router';

const SECTIONS = ['overview', 'jobs', 'data', 'flows', 'ledger', 'sites'] as const;

function sectionHref(s: (typeof SECTIONS)[number]): string {
  return s === 'overview' ? '#/' : href(s);
}

/** Brand, primary navigation (the current page marked with aria-current), language and session. */
export function AppHeader({ section }: { section: string }) {
  const { t, i18n } = useTranslation();
  const { me, token, signOut } = useSession();
  const current = section === '' ? 'overview' : section === 'scenarios' ? 'data' : section;
  return (
    <header className="app-header">
      <a className="brand" href="#/">
        {i18n.language === 'en' && (
          <span lang="zh-Hans" aria-hidden="true">
            河套{' '}
          </span>
        )}
        {t('app.name')}
      </a>
      <nav aria-label={t('nav.label')}>
        <ul>
          {SECTIONS.map((s) => (
            <li key={s}>
              <a href={sectionHref(s)} aria-current={current === s ? 'page' : undefined}>
                {t(`nav.${s}`)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div className="header-tools">
        <LanguageSwitcher />
        {token !== null && me ? (
          <div className="session">
            <SignedInAs />
            <button type="button" onClick={signOut}>
              {t('auth.signOut')}
            </button>
          </div>
        ) : (
          <a className="button-link" href={href('sign-in')}>
            {t('auth.signIn')}
          </a>
        )}
      </div>
    </header>
  );
}
