/** Services the account lists: a supplier's own (and Online ones visible to it); an admin's all. */
import type { ServiceSummary } from '../../../../src/contract/services.ts';
import { Link, useTitle } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import { StateBadge } from '../../ui/bits.tsx';
import { Empty, Loaded } from '../../ui/states.tsx';
import { useResource } from '../../use-resource.ts';

export function ServiceTable({ items, label }: { items: ServiceSummary[]; label: string }) {
  return (
    <div className="table-wrap" tabIndex={0}>
      <table aria-label={label}>
        <thead>
          <tr>
            <th>Name</th>
            <th>State</th>
            <th>Template</th>
            <th>Visibility</th>
            <th className="hide-narrow">Revisions</th>
          </tr>
        </thead>
        <tbody>
          {items.map((s) => (
            <tr key={s.id}>
              <td>
                <Link to={`/services/${s.id}`}>{s.name}</Link>
              </td>
              <td>
                <StateBadge state={s.state} />
              </td>
              <td>{s.deployType === 'ros' ? 'ROS' : 'Terraform'}</td>
              <td>{s.visibility}</td>
              <td className="hide-narrow">
                {s.onlineRevision !== null ? `online r${s.onlineRevision}` : ''}
                {s.onlineRevision !== null && s.draftRevision !== null ? ' · ' : ''}
                {s.draftRevision !== null ? `working r${s.draftRevision}` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ServiceListPage() {
  useTitle('Services');
  const { api, account } = useSession();
  const list = useResource(() => api.services.list({ limit: 100 }), [api], ['services']);
  return (
    <section>
      <h1>Services</h1>
      {account.role === 'supplier' && (
        <div className="toolbar">
          <Link to="/services/new" className="button">
            Create service
          </Link>
        </div>
      )}
      <Loaded resource={list} what="services">
        {(d) => (d.items.length === 0 ? <Empty>No services yet. A service is a ROS or Terraform template whose images come from your packages.</Empty> : <ServiceTable items={d.items} label="Services" />)}
      </Loaded>
    </section>
  );
}
