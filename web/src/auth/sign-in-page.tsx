import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../components/error-notice';
import { navigate } from '../router';
import { useSession } from './session-context';
import { SignedInAs } from './signed-in-as';

export function SignInPage() {
  const { t } = useTranslation();
  const { signIn, signOut, checking, error, me, token } = useSession();
  const [value, setValue] = useState('');
  const [remember, setRemember] = useState(false);
  const [tried, setTried] = useState(false);
  const tokenId = useId();
  const rememberId = useId();
  const hintId = useId();

  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault();
    setTried(true);
    if (await signIn(value.trim(), remember)) {
      setValue('');
      if (window.location.hash.startsWith('#/sign-in')) navigate('#/');
    }
  }

  return (
    <section aria-labelledby="sign-in-title" className="narrow">
      <h1 id="sign-in-title">{t('auth.title')}</h1>
      {token !== null && me ? (
        <p>
          <SignedInAs />{' '}
          <button type="button" onClick={signOut}>
            {t('auth.signOut')}
          </button>
        </p>
      ) : (
        <p>{t('auth.intro')}</p>
      )}
      <form onSubmit={submit} className="form">
        <div className="field">
          <label htmlFor={tokenId}>{t('auth.token')}</label>
          <input
            id={tokenId}
            type="password"
            autoComplete="off"
            spellCheck={false}
            required
            aria-describedby={hintId}
            value={value}
            onChange={(e) => setValue(e.target.value)}
          />
          <p id={hintId} className="hint">
            {t('auth.tokenHint')}
          </p>
        </div>
        <div className="field checkbox">
          <input id={rememberId} type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} />
          <label htmlFor={rememberId}>{t('auth.remember')}</label>
        </div>
        <button type="submit" disabled={checking || value.trim() === ''}>
          {t('auth.signIn')}
        </button>
      </form>
      {tried && error && <ErrorNotice error={error} context={t('auth.rejected')} />}
    </section>
  );
}
