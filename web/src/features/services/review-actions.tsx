/** What the account may do to the service now: test, submit, publish, offline (owner); approve, reject (admin). */
import { useState } from 'react';
import type { Service } from '../../../../src/contract/services.ts';
import { describeError } from '../../api.ts';
import { navigate } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import { Field } from '../../ui/bits.tsx';
import { Modal } from '../../ui/confirm.tsx';
import { useResource } from '../../use-resource.ts';

type Action = 'submit' | 'approve' | 'publish' | 'offline';

export function ReviewActions({ service: s, owner, admin, onDone, onError }: { service: Service; owner: boolean; admin: boolean; onDone: () => void; onError: (m: string | undefined) => void }) {
  const { api } = useSession();
  const draft = s.revisions.draft;
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);

  const run = async (call: () => Promise<unknown>) => {
    setBusy(true);
    onError(undefined);
    try {
      await call();
      onDone();
    } catch (err) {
      onError(describeError(err));
    } finally {
      setBusy(false);
    }
  };
  const act = (a: Action) => run(() => api.services.review(s.id, a));
  const button = (a: Action, label: string) => (
    <button type="button" disabled={busy} onClick={() => act(a)}>
      {label}
    </button>
  );

  return (
    <div className="actions">
      {owner && draft && (draft.state === 'Draft' || draft.state === 'Rejected') && button('submit', 'Submit for review')}
      {owner && draft?.state === 'Approved' && button('publish', 'Publish')}
      {owner && s.revisions.online && button('offline', 'Take offline')}
      {owner && draft && <TestDeploy serviceId={s.id} onError={onError} />}
      {admin && draft?.state === 'Submitted' && (
        <>
          {button('approve', 'Approve')}
          <button type="button" className="danger" disabled={busy} onClick={() => setRejecting(true)}>
            Reject…
          </button>
        </>
      )}
      <Modal open={rejecting} title="Reject this revision" onClose={() => setRejecting(false)}>
        <Field label="Reason" hint="1–500 characters; the supplier sees it." errors={reason.trim() === '' ? ['a reason is required'] : []}>
          {(p) => <textarea {...p} rows={3} value={reason} onChange={(e) => setReason(e.target.value)} />}
        </Field>
        <div className="actions">
          <button
            type="button"
            className="danger"
            disabled={reason.trim() === ''}
            onClick={() => {
              setRejecting(false);
              void run(() => api.services.reject(s.id, reason.trim()));
            }}
          >
            Reject
          </button>
          <button type="button" className="secondary" onClick={() => setRejecting(false)}>
            Cancel
          </button>
        </div>
      </Modal>
    </div>
  );
}

/** The owner's test deployment of the revision under work, in a region of its choice. */
function TestDeploy({ serviceId, onError }: { serviceId: string; onError: (m: string | undefined) => void }) {
  const { api } = useSession();
  const regions = useResource(() => api.client.regions(), [api]);
  const [region, setRegion] = useState('');
  return (
    <span className="toolbar" style={{ margin: 0 }}>
      <label htmlFor="test-region" className="visually-hidden">
        Test region
      </label>
      <select id="test-region" value={region} onChange={(e) => setRegion(e.target.value)}>
        <option value="">Test in region…</option>
        {regions.data?.items.map((r) => (
          <option key={r.id} value={r.id}>
            {r.id}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="secondary"
        disabled={!region}
        onClick={async () => {
          onError(undefined);
          try {
            const i = await api.client.request<{ id: string }>('POST', `/v1/services/${encodeURIComponent(serviceId)}/test`, { body: { region } });
            navigate(`/instances/${i.id}`);
          } catch (err) {
            onError(describeError(err));
          }
        }}
      >
        Test deploy
      </button>
    </span>
  );
}
