import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ApiError } from '../api/api-error';
import { apiJson } from '../api/client';
import type { Me } from '../api/types';
import { type Capabilities, capabilitiesOf } from './capabilities';
import { clearToken, loadToken, saveToken } from './token-store';

export interface Session {
  readonly token: string | null;
  readonly me: Me | undefined;
  readonly can: Capabilities;
  readonly checking: boolean;
  readonly error: ApiError | undefined;
  signIn(token: string, remember: boolean): Promise<boolean>;
  signOut(): void;
}

const SessionContext = createContext<Session | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState<string | null>(() => loadToken());
  const [me, setMe] = useState<Me>();
  const [error, setError] = useState<ApiError>();
  const [checking, setChecking] = useState(token !== null);

  useEffect(() => {
    if (token === null || me !== undefined) return;
    let live = true;
    setChecking(true);
    apiJson<Me>('/me', { token })
      .then((m) => live && setMe(m))
      .catch((e: ApiError) => {
        if (!live) return;
        setError(e);
        if (e.status === 401) {
          clearToken();
          setToken(null);
        }
      })
      .finally(() => live && setChecking(false));
    return () => {
      live = false;
    };
  }, [token, me]);

  const signIn = useCallback(async (candidate: string, remember: boolean): Promise<boolean> => {
    setChecking(true);
    try {
      const m = await apiJson<Me>('/me', { token: candidate });
      saveToken(candidate, remember);
      setError(undefined);
      setMe(m);
      setToken(candidate);
      return true;
    } catch (e) {
      setError(e as ApiError);
      return false;
    } finally {
      setChecking(false);
    }
  }, []);

  const signOut = useCallback(() => {
    clearToken();
    setToken(null);
    setMe(undefined);
    setError(undefined);
  }, []);

  const value = useMemo<Session>(
    () => ({ token, me, can: capabilitiesOf(me?.account.role), checking, error, signIn, signOut }),
    [token, me, checking, error, signIn, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (s === undefined) throw new Error('useSession needs a SessionProvider');
  return s;
}
