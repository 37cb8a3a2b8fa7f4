/** The shell: header with the pages the account's role uses, sign-out, and the page for the path. */
import { useEffect, useState, type ReactNode } from 'react';
import type { Account } from '../../src/contract/schemas.ts';
import { openLiveFeed, type LiveFeed } from './live.ts';
import { Link, match, useLocation } from './router.tsx';
import { useSessionState } from './session.tsx';
import { LiveContext } from './use-resource.ts';
import { SignInPage } from './features/session/sign-in-page.tsx';
import { ROUTES, NotFoundPage } from './routes.tsx';

const NAV: Record<Account['role'], { to: string; label: string }[]> = {
  supplier: [
    { to: '/packages', label: 'Deployment packages' },
    { to: '/services', label: 'Services' },
  ],
  admin: [
    { to: '/review', label: 'Review queue' },
    { to: '/services', label: 'Services' },
  ],
  consumer: [
    { to: '/catalog', label: 'Services' },
    { to: '/instances', label: 'Instances' },
  ],
};

function Header({ account, signOut }: { account: Account; signOut: () => void }) {
  const { path } = useLocation();
  return (
    <header className="top">
      <Link to="/" className="brand">
        Imagenest
      </Link>
      <nav aria-label="Main">
        {NAV[account.role].map((n) => (
          <Link key={n.to} to={n.to} aria-current={path.startsWith(n.to) ? 'page' : undefined}>
            {n.label}
          </Link>
        ))}
      </nav>
      <div className="who">
        <span>
          {account.name} <small>({account.role})</small>
        </span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </div>
    </header>
  );
}

function Page({ role }: { role: Account['role'] }): ReactNode {
  const { path } = useLocation();
  if (path === '/' || path === '') return ROUTES.home[role]();
  for (const [pattern, render] of ROUTES.pages) {
    const params = match(pattern, path);
    if (params) return render(params);
  }
  return <NotFoundPage />;
}

export function App() {
  const { session } = useSessionState();
  const token = session?.token;
  const [live, setLive] = useState<LiveFeed>();
  useEffect(() => {
    if (!token) return;
    const feed = openLiveFeed(token);
    setLive(feed);
    return () => feed.close();
  }, [token]);

  if (!session) return <SignInPage />;
  return (
    <LiveContext.Provider value={live}>
      <Header account={session.account} signOut={session.signOut} />
      <main id="main">
        <Page role={session.account.role} />
      </main>
    </LiveContext.Provider>
  );
}
