/** A published version across regions: a grid coloured by state, and per region progress, ETA, source, image ID, error, retry. */
import { useState } from 'react';
import type { Package, RegionStatus, Version, VersionStatus } from '../../../../src/contract/schemas.ts';
import { describeError } from '../../api.ts';
import { useSession } from '../../session.tsx';
import { Alert, eta, StateBadge } from '../../ui/bits.tsx';
import { Loaded } from '../../ui/states.tsx';
import { useResource } from '../../use-resource.ts';

export function VersionDistribution({ pkg, version }: { pkg: Package; version: Version }) {
  const { api } = useSession();
  const label = String(version.version);
  const status = useResource(() => api.client.status(pkg.id, label), [api, pkg.id, label], ['packages']);
  const [error, setError] = useState<string>();
  const act = async (run: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await run();
      status.reload();
    } catch (err) {
      setError(describeError(err));
    }
  };

  return (
    <Loaded resource={status} what="distribution">
      {(s) => (
        <>
          <RegionGrid status={s} />
          <Alert message={error} />
          {s.state === 'Delivering' && (
            <div className="actions">
              <button type="button" className="secondary" onClick={() => act(() => api.client.cancel(pkg.id, label))}>
                Cancel distribution
              </button>
            </div>
          )}
          <div className="table-wrap" tabIndex={0}>
            <table aria-label={`Regions of v${label}`}>
              <thead>
                <tr>
                  <th>Region</th>
                  <th>State</th>
                  <th>Progress</th>
                  <th>Copied from</th>
                  <th>Image ID</th>
                  <th>Error</th>
                </tr>
              </thead>
              <tbody>
                {s.regions.map((r) => (
                  <RegionRow key={r.region} r={r} asOf={s.asOf} onRetry={() => act(() => api.client.retry(pkg.id, label, r.region))} />
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Loaded>
  );
}

function RegionRow({ r, asOf, onRetry }: { r: RegionStatus; asOf: string; onRetry: () => void }) {
  const pct = r.state === 'Available' ? 100 : Math.floor(r.estimatedProgress);
  const left = eta(r.expectedFinishAt, asOf);
  return (
    <tr data-region={r.region}>
      <th scope="row">{r.region}</th>
      <td>
        <StateBadge state={r.state} />
      </td>
      <td>
        <progress max={100} value={pct} aria-label={`${r.region} ${pct}%`} /> {pct}%{left && <span className="hint"> · {left}</span>}
      </td>
      <td>{r.sourceRegion ?? '—'}</td>
      <td>
        <code>{r.state === 'Available' ? r.imageId : '—'}</code>
      </td>
      <td>
        {r.error ? (
          <>
            <span>
              {r.error.code}
              {r.error.cloudCode ? ` (${r.error.cloudCode})` : ''}: {r.error.message}
            </span>{' '}
            <button type="button" className="secondary" onClick={onRetry}>
              Retry {r.region}
            </button>
          </>
        ) : (
          '—'
        )}
      </td>
    </tr>
  );
}

/** Every region of the version as a tile coloured by state: quicker to look at than 25 rows. */
export function RegionGrid({ status }: { status: VersionStatus }) {
  const counts = status.regions.reduce<Record<string, number>>((c, r) => ({ ...c, [r.state]: (c[r.state] ?? 0) + 1 }), {});
  return (
    <>
      <p className="hint">
        {Object.entries(counts)
          .map(([state, n]) => `${n} ${state}`)
          .join(' · ')}
      </p>
      <ul className="region-grid" aria-label="Regions by state">
        {status.regions.map((r) => (
          <li key={r.region} className={r.state}>
            <strong>{r.region}</strong>
            {r.state}
            {r.state === 'Copying' ? ` ${Math.floor(r.estimatedProgress)}%` : ''}
          </li>
        ))}
      </ul>
    </>
  );
}
