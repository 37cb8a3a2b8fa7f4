/** Who may see and deploy the service: private, public, or a whitelist of account IDs. */
import { useState, type FormEvent } from 'react';
import type { Service } from '../../../../src/contract/services.ts';
import { useSession } from '../../session.tsx';
import { Field } from '../../ui/bits.tsx';

export function VisibilityForm({ service, onSaved, onError }: { service: Service; onSaved: () => void; onError: (e: unknown) => void }) {
  const { api } = useSession();
  const [visibility, setVisibility] = useState<string>(service.visibility);
  const [accounts, setAccounts] = useState((service.accounts ?? []).join('\n'));

  async function save(e: FormEvent) {
    e.preventDefault();
    try {
      const list = accounts.split(/\s+/).filter(Boolean);
      await api.services.setVisibility(service.id, visibility === 'whitelist' ? { visibility, accounts: list } : { visibility });
      onSaved();
    } catch (err) {
      onError(err);
    }
  }

  return (
    <form className="card" onSubmit={save}>
      <Field label="Visibility" hint="Applies at once, without review; packages and their regional copies follow it.">
        {(p) => (
          <select {...p} value={visibility} onChange={(e) => setVisibility(e.target.value)}>
            <option value="private">Private (you only)</option>
            <option value="public">Public (every account)</option>
            <option value="whitelist">Whitelist (the accounts below)</option>
          </select>
        )}
      </Field>
      {visibility === 'whitelist' && (
        <Field label="Whitelisted account IDs" hint="One account ID a line.">
          {(p) => <textarea {...p} rows={3} className="mono" value={accounts} onChange={(e) => setAccounts(e.target.value)} />}
        </Field>
      )}
      <div className="actions">
        <button type="submit" className="secondary">
          Save visibility
        </button>
      </div>
    </form>
  );
}
