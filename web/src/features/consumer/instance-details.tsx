/** One instance: its region, the image ID each placeholder became there, and its deployment events. */
import { Link, useTitle } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import { StateBadge, Timeline } from '../../ui/bits.tsx';
import { Loaded } from '../../ui/states.tsx';
import { useResource } from '../../use-resource.ts';

export function InstanceDetailsPage({ id }: { id: string }) {
  useTitle(`Instance ${id}`);
  const { api } = useSession();
  const instance = useResource(() => api.instances.get(id), [api, id], ['instances']);
  const events = useResource(() => api.instances.events(id), [api, id], ['instances']);
  return (
    <section>
      <p>
        <Link to="/instances">← Instances</Link>
      </p>
      <Loaded resource={instance} what="the instance">
        {(i) => (
          <>
            <h1>
              Instance {i.id} <StateBadge state={i.state} />
            </h1>
            <p>
              {i.test ? 'Test deployment' : 'Service instance'} in <strong data-testid="instance-region">{i.region}</strong>
            </p>
            {i.error && (
              <p className="state error">
                {i.error.code}: {i.error.message}
              </p>
            )}
            <h2>Images used</h2>
            <div className="table-wrap" tabIndex={0}>
              <table aria-label="Images used">
                <thead>
                  <tr>
                    <th>Placeholder</th>
                    <th>Package</th>
                    <th>Version</th>
                    <th>Image ID in {i.region}</th>
                  </tr>
                </thead>
                <tbody>
                  {i.images.map((m) => (
                    <tr key={m.placeholder}>
                      <th scope="row">
                        <code>{m.placeholder}</code>
                      </th>
                      <td>{m.package}</td>
                      <td>{m.version === 'draft' ? 'draft' : `v${m.version}`}</td>
                      <td>
                        <code>{m.imageId}</code>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </Loaded>
      <h2>Deployment events</h2>
      <Loaded resource={events} what="events">
        {(e) => <Timeline label="Deployment events" items={e.items.map((x) => ({ at: x.at, text: `${x.type}: ${x.message}` }))} />}
      </Loaded>
    </section>
  );
}
