/** Sign-in with an account token (an admin creates accounts and their tokens). */
import { useState, type FormEvent } from 'react';
import { describeError } from '../../api.ts';
import { useTitle } from '../../router.tsx';
import { useSessionState } from '../../session.tsx';

export function SignInPage() {
  useTitle('Sign in');
  const { signIn } = useSessionState();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (token.trim() === '') {
      setError('Enter the token of your account.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await signIn(token.trim());
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  }

  return (
    <main id="main" className="sign-in">
      <h1>Imagenest console</h1>
      <form onSubmit={submit} noValidate aria-describedby="sign-in-help">
        <p id="sign-in-help">Sign in with your account's API token. It is kept in this tab only and forgotten when you close it or sign out.</p>
        <label htmlFor="token">Account token</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="off"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'token-error' : undefined}
        />
        {error && (
          <p id="token-error" className="field-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
