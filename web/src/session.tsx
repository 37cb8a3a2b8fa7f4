/** The signed-in account: its token in session storage (gone with the tab), and the API for it. */
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import type { Account } from '../../src/contract/schemas.ts';
import { apiFor, type Api } from './api.ts';

const TOKEN_KEY = 'imagenest.token';

export interface Session {
  token: string;
  account: Account;
  api: Api;
  signOut(): void;
}

interface SessionState {
  session: Session | undefined;
  signIn(token: string): Promise<void>;
}

const Context = createContext<SessionState | undefined>(undefined);

export function storedToken(): string | undefined {
  return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
}

export function SessionProvider({ initial, children }: { initial: { token: string; account: Account } | undefined; children: ReactNode }) {
  const [current, setCurrent] = useState(initial);
  const state = useMemo<SessionState>(
    () => ({
      session: current && {
        token: current.token,
        account: current.account,
        api: apiFor(current.token),
        signOut() {
          sessionStorage.removeItem(TOKEN_KEY);
          setCurrent(undefined);
        },
      },
      async signIn(token) {
        const account = await apiFor(token).account();
        sessionStorage.setItem(TOKEN_KEY, token);
        setCurrent({ token, account });
      },
    }),
    [current],
  );
  return <Context.Provider value={state}>{children}</Context.Provider>;
}

export function useSessionState(): SessionState {
  const s = useContext(Context);
  if (!s) throw new Error('useSessionState outside SessionProvider');
  return s;
}

/** The session of a page that is shown only when signed in. */
export function useSession(): Session {
  const s = useSessionState().session;
  if (!s) throw new Error('useSession while signed out');
  return s;
}
