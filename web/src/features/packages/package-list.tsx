/** The supplier's deployment packages: filter by name, sort, page through; each with its latest version's reach. */
import { useState } from 'react';
import type { Package, PackageSummary } from '../../../../src/contract/schemas.ts';
import { Link, useTitle } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import { StateBadge } from '../../ui/bits.tsx';
import { Empty, Loaded } from '../../ui/states.tsx';
import { useResource } from '../../use-resource.ts';
import { latestReach } from './reach.ts';

type SortKey = 'name' | 'status' | 'updatedAt';
const PAGE = 20;

export function PackageListPage() {
  useTitle('Deployment packages');
  const { api } = useSession();
  const [filter, setFilter] = useState('');
  const [applied, setApplied] = useState('');
  const [tokens, setTokens] = useState<(string | undefined)[]>([undefined]);
  const [sort, setSort] = useState<{ key: SortKey; asc: boolean }>({ key: 'updatedAt', asc: false });
  const page = tokens[tokens.length - 1];

  const list = useResource(
    async () => {
      const p = await api.client.listPackages({ limit: PAGE, nextToken: page, nameContains: applied || undefined });
      // The list answers no regions: each row's package, for its latest version's deliveries.
      const full = await Promise.all(p.items.map((i) => api.client.getPackage(i.id)));
      return { ...p, full: new Map(full.map((f) => [f.id, f])) };
    },
    [api, page, applied],
    ['packages'],
  );

  const sorted = (items: PackageSummary[]) =>
    [...items].sort((a, b) => {
      const d = String(a[sort.key]).localeCompare(String(b[sort.key]));
      return sort.asc ? d : -d;
    });
  const header = (key: SortKey, label: string) => (
    <th aria-sort={sort.key === key ? (sort.asc ? 'ascending' : 'descending') : 'none'}>
      <button type="button" onClick={() => setSort({ key, asc: sort.key === key ? !sort.asc : true })}>
        {label}
      </button>
    </th>
  );

  return (
    <section>
      <h1>Deployment packages</h1>
      <div className="toolbar">
        <form
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            setApplied(filter.trim());
            setTokens([undefined]);
          }}
          className="toolbar"
        >
          <div>
            <label htmlFor="filter">Name contains</label>
            <input id="filter" value={filter} onChange={(e) => setFilter(e.target.value)} />
          </div>
          <button type="submit" className="secondary">
            Filter
          </button>
        </form>
        <Link to="/packages/new" className="button">
          Create package
        </Link>
      </div>
      <Loaded resource={list} what="packages">
        {(data) =>
          data.items.length === 0 ? (
            <Empty>{applied ? `No package name contains “${applied}”.` : 'No deployment packages yet. Create one from a source image to distribute it.'}</Empty>
          ) : (
            <>
              <div className="table-wrap" tabIndex={0}>
                <table>
                  <caption className="hint">Sort by a column by choosing its heading.</caption>
                  <thead>
                    <tr>
                      {header('name', 'Name')}
                      <th>Latest version</th>
                      {header('status', 'State')}
                      <th>Regions available</th>
                      <th className="hide-narrow">Tags</th>
                      {header('updatedAt', 'Updated')}
                    </tr>
                  </thead>
                  <tbody>
                    {sorted(data.items).map((p) => (
                      <Row key={p.id} summary={p} full={data.full.get(p.id)} />
                    ))}
                  </tbody>
                </table>
              </div>
              <nav className="actions" aria-label="Pages">
                <button type="button" className="secondary" disabled={tokens.length === 1} onClick={() => setTokens(tokens.slice(0, -1))}>
                  Previous page
                </button>
                <button type="button" className="secondary" disabled={!data.nextToken} onClick={() => setTokens([...tokens, data.nextToken ?? undefined])}>
                  Next page
                </button>
              </nav>
            </>
          )
        }
      </Loaded>
    </section>
  );
}

function Row({ summary: p, full }: { summary: PackageSummary; full: Package | undefined }) {
  const reach = full ? latestReach(full) : undefined;
  return (
    <tr>
      <td>
        <Link to={`/packages/${encodeURIComponent(p.name)}`}>{p.name}</Link>
      </td>
      <td>{p.latestVersion === null ? (p.hasDraft ? 'draft only' : '—') : `v${p.latestVersion}`}</td>
      <td>
        <StateBadge state={p.status} />
      </td>
      <td>{reach ? `${reach.available} of ${reach.selected}` : '—'}</td>
      <td className="hide-narrow">
        <span className="tags">
          {p.tags.map((t) => (
            <span key={t.key} className="tag">
              {t.key}={t.value}
            </span>
          ))}
        </span>
      </td>
      <td>{new Date(p.updatedAt).toLocaleDateString()}</td>
    </tr>
  );
}
