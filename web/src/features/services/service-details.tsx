/** One service: its revision under work (template, placeholders), review actions, visibility, test, timeline. */
import { useState } from 'react';
import type { Service } from '../../../../src/contract/services.ts';
import { describeError } from '../../api.ts';
import { Link, useTitle } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import { Alert, StateBadge, Timeline } from '../../ui/bits.tsx';
import { Loaded } from '../../ui/states.tsx';
import { useResource } from '../../use-resource.ts';
import { Placeholders } from './placeholders.tsx';
import { ReviewActions } from './review-actions.tsx';
import { TemplateCard } from './template-card.tsx';
import { VisibilityForm } from './visibility-form.tsx';

export function ServiceDetailsPage({ id }: { id: string }) {
  const { api, account } = useSession();
  const service = useResource(() => api.services.get(id), [api, id], ['services', 'packages']);
  const events = useResource(() => api.services.events(id), [api, id], ['services']);
  useTitle(service.data?.name ?? 'Service');
  return (
    <section>
      <p>
        <Link to={account.role === 'admin' ? '/review' : '/services'}>← {account.role === 'admin' ? 'Review queue' : 'Services'}</Link>
      </p>
      <Loaded resource={service} what="the service">
        {(s) => <ServiceBody service={s} owner={s.ownerId === account.id} admin={account.role === 'admin'} onChanged={service.reload} />}
      </Loaded>
      <h2>Timeline</h2>
      <Loaded resource={events} what="the timeline">
        {(e) => <Timeline label="Service events" items={e.items.map((x) => ({ at: x.at, text: `${x.revision !== null ? `r${x.revision} · ` : ''}${x.message}` }))} />}
      </Loaded>
    </section>
  );
}

function ServiceBody({ service: s, owner, admin, onChanged }: { service: Service; owner: boolean; admin: boolean; onChanged: () => void }) {
  const working = s.revisions.draft ?? s.revisions.online;
  const [error, setError] = useState<string>();
  return (
    <>
      <h1>
        {s.name} <StateBadge state={s.state} />
      </h1>
      <p>{s.description}</p>
      <p className="hint">
        {s.deployType === 'ros' ? 'ROS' : 'Terraform'} template · {s.visibility}
        {s.revisions.online ? ` · online revision r${s.revisions.online.number}` : ''}
        {s.revisions.draft ? ` · working revision r${s.revisions.draft.number} (${s.revisions.draft.state})` : ''}
      </p>
      {s.revisions.draft?.rejectReason && (
        <p className="state error">
          Rejected: {s.revisions.draft.rejectReason}
        </p>
      )}
      <Alert message={error} />
      <ReviewActions service={s} owner={owner} admin={admin} onDone={onChanged} onError={setError} />
      {working && (owner || admin) && (
        <>
          <h2>Template</h2>
          <TemplateCard service={s} revision={working} editable={owner} onSaved={onChanged} />
          <h2>Image placeholders</h2>
          <Placeholders serviceId={s.id} revision={working} editable={owner && working.state !== 'Online'} onChanged={onChanged} />
        </>
      )}
      {owner && (
        <>
          <h2>Visibility</h2>
          <VisibilityForm service={s} onSaved={onChanged} onError={(e) => setError(describeError(e))} />
        </>
      )}
    </>
  );
}
