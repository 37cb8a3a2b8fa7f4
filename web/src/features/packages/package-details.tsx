/** One package: its fields, its versions (distribution per region, draft actions) and its event timeline. */
import { useState } from 'react';
import { Link, useTitle } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import { StateBadge } from '../../ui/bits.tsx';
import { Loaded } from '../../ui/states.tsx';
import { useResource } from '../../use-resource.ts';
import { VersionsTab } from './versions-tab.tsx';
import { EventsTab } from './events-tab.tsx';

type Tab = 'versions' | 'events';

export function PackageDetailsPage({ name }: { name: string }) {
  useTitle(name);
  const { api } = useSession();
  const pkg = useResource(() => api.client.getPackage(name), [api, name], ['packages']);
  const [tab, setTab] = useState<Tab>('versions');

  return (
    <section>
      <p>
        <Link to="/packages">← Deployment packages</Link>
      </p>
      <Loaded resource={pkg} what="the package">
        {(p) => (
          <>
            <h1>
              {p.name} <StateBadge state={p.status} />
            </h1>
            <p>{p.description}</p>
            <dl className="facts">
              <dt>Latest version</dt>
              <dd>{p.latestVersion === null ? 'none published' : `v${p.latestVersion}`}</dd>
              <dt>Resource group</dt>
              <dd>{p.resourceGroup ?? '—'}</dd>
              <dt>Tags</dt>
              <dd>{p.tags.length === 0 ? '—' : p.tags.map((t) => `${t.key}=${t.value}`).join(', ')}</dd>
            </dl>
            <div className="tabs" role="tablist" aria-label="Package details">
              {(['versions', 'events'] as const).map((t) => (
                <button key={t} type="button" role="tab" id={`tab-${t}`} aria-controls={`panel-${t}`} aria-selected={tab === t} onClick={() => setTab(t)}>
                  {t === 'versions' ? 'Versions' : 'Events'}
                </button>
              ))}
            </div>
            <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
              {tab === 'versions' ? <VersionsTab pkg={p} onChanged={pkg.reload} /> : <EventsTab pkg={p} />}
            </div>
          </>
        )}
      </Loaded>
    </section>
  );
}
