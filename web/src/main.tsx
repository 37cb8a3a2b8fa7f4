/** The console's entry: restores the session kept in this tab, then renders the app. */
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { apiFor } from './api.ts';
import { SessionProvider, storedToken } from './session.tsx';
import './styles.css';

async function restore() {
  const token = storedToken();
  if (!token) return undefined;
  try {
    return { token, account: await apiFor(token).account() };
  } catch {
    sessionStorage.clear();
    return undefined;
  }
}

const initial = await restore();
createRoot(document.getElementById('root')!).render(
  <SessionProvider initial={initial}>
    <App />
  </SessionProvider>,
);
