import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from './auth/session-context';
import { SignInPage } from './auth/sign-in-page';
import { SiteAgentNotice } from './auth/site-agent-notice';
import { AppHeader } from './components/app-header';
import { DataPage } from './pages/data-page';
import { FlowsPage } from './pages/flows-page';
import { JobPage } from './pages/job-page';
import { JobSubmitPage } from './pages/job-submit-page';
import { JobsPage } from './pages/jobs-page';
import { LedgerPage } from './pages/ledger-page';
import { NotFoundPage } from './pages/not-found-page';
import { OverviewPage } from './pages/overview-page';
import { ScenarioPage } from './pages/scenario-page';
import { SitePage } from './pages/site-page';
import { SitesPage } from './pages/sites-page';
import { type Route, useRoute } from './router';

/** Pages that need no token: the ledger is public, and signing in itself. */
const PUBLIC = new Set(['ledger', 'sign-in']);

function page(route: Route) {
  const [section = '', id] = route.path;
  switch (section) {
    case '':
      return <OverviewPage />;
    case 'jobs':
      if (id === 'new') return <JobSubmitPage />;
      return id ? <JobPage id={id} /> : <JobsPage query={route.query} />;
    case 'data':
      return <DataPage />;
    case 'scenarios':
      return id ? <ScenarioPage id={id} /> : <DataPage />;
    case 'flows':
      return <FlowsPage />;
    case 'ledger':
      return <LedgerPage />;
    case 'sites':
      return id ? <SitePage id={id} /> : <SitesPage />;
    case 'sign-in':
      return <SignInPage />;
    default:
      return <NotFoundPage />;
  }
}

export function App() {
  const route = useRoute();
  const { t } = useTranslation();
  const { token, me } = useSession();
  const main = useRef<HTMLElement>(null);
  const section = route.path[0] ?? '';
  const key = route.path.join('/');

  // Moves focus to the new page's content on navigation (not on first load), so keyboard and screen-reader users
  // start there.
  const shown = useRef(key);
  useEffect(() => {
    if (shown.current === key) return;
    shown.current = key;
    main.current?.focus();
  }, [key]);

  let content = page(route);
  if (!PUBLIC.has(section) && token === null) content = <SignInPage />;
  else if (!PUBLIC.has(section) && me?.account.role === 'site-agent') content = <SiteAgentNotice />;

  return (
    <>
      <button type="button" className="skip-link" onClick={() => main.current?.focus()}>
        {t('app.skipToContent')}
      </button>
      <AppHeader section={section} />
      <main id="main" ref={main} tabIndex={-1}>
        {content}
      </main>
      <footer className="app-footer">
        <p>{t('app.footer')}</p>
      </footer>
    </>
  );
}
