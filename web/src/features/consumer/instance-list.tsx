/** The account's service instances. */
import { Link, useTitle } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import { StateBadge, Time } from '../../ui/bits.tsx';
import { Empty, Loaded } from '../../ui/states.tsx';
import { useResource } from '../../use-resource.ts';

export function InstanceListPage() {
  useTitle('Instances');
  const { api } = useSession();
  const list = useResource(() => api.instances.list(), [api], ['instances']);
  return (
    <section>
      <h1>Instances</h1>
      <Loaded resource={list} what="instances">
        {(d) =>
          d.items.length === 0 ? (
            <Empty>
              No instances yet. <Link to="/catalog">Deploy a service</Link>.
            </Empty>
          ) : (
            <div className="table-wrap" tabIndex={0}>
              <table aria-label="Instances">
                <thead>
                  <tr>
                    <th>Instance</th>
                    <th>State</th>
                    <th>Region</th>
                    <th className="hide-narrow">Created</th>
                  </tr>
                </thead>
                <tbody>
                  {d.items.map((i) => (
                    <tr key={i.id}>
                      <td>
                        <Link to={`/instances/${i.id}`}>{i.id}</Link>
                      </td>
                      <td>
                        <StateBadge state={i.state} />
                      </td>
                      <td>{i.region}</td>
                      <td className="hide-narrow">
                        <Time at={i.createdAt} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
    </section>
  );
}
