/** The admin's review queue: services with a revision Submitted, each opened to approve or reject. */
import { useTitle } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import { Empty, Loaded } from '../../ui/states.tsx';
import { useResource } from '../../use-resource.ts';
import { ServiceTable } from './service-list.tsx';

export function ReviewQueuePage() {
  useTitle('Review queue');
  const { api } = useSession();
  const queue = useResource(() => api.services.list({ limit: 100, state: 'Submitted' }), [api], ['services']);
  return (
    <section>
      <h1>Review queue</h1>
      <p className="hint">Services submitted for review. Open one to read its template and placeholders, then approve it or reject it with a reason.</p>
      <Loaded resource={queue} what="the review queue">
        {(d) => (d.items.length === 0 ? <Empty>Nothing to review.</Empty> : <ServiceTable items={d.items} label="Submitted services" />)}
      </Loaded>
    </section>
  );
}
