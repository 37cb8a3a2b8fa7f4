/** The services a consumer may deploy: the Online ones visible to it. */
import { Link, useTitle } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import { StateBadge } from '../../ui/bits.tsx';
import { Empty, Loaded } from '../../ui/states.tsx';
import { useResource } from '../../use-resource.ts';

export function CatalogPage() {
  useTitle('Services');
  const { api } = useSession();
  const list = useResource(() => api.services.list({ limit: 100, state: 'Online' }), [api], ['services']);
  return (
    <section>
      <h1>Services you can deploy</h1>
      <Loaded resource={list} what="services">
        {(d) =>
          d.items.length === 0 ? (
            <Empty>No service is visible to your account yet.</Empty>
          ) : (
            <ul className="cards" aria-label="Services">
              {d.items.map((s) => (
                <li key={s.id} className="card">
                  <h2>
                    {s.name} <StateBadge state={s.state} />
                  </h2>
                  <p>{s.description}</p>
                  <Link to={`/catalog/${s.id}/deploy`} className="button" aria-label={`Deploy ${s.name}`}>
                    Deploy
                  </Link>
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
    </section>
  );
}
