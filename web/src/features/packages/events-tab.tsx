/** The package's delivery timeline: every published version's events, newest first. */
import type { Package } from '../../../../src/contract/schemas.ts';
import { useSession } from '../../session.tsx';
import { Timeline } from '../../ui/bits.tsx';
import { Loaded } from '../../ui/states.tsx';
import { useResource } from '../../use-resource.ts';

export function EventsTab({ pkg }: { pkg: Package }) {
  const { api } = useSession();
  const published = pkg.versions.filter((v) => v.version !== 'draft');
  const events = useResource(
    async () => {
      const all = await Promise.all(published.map(async (v) => ({ v: v.version, s: await api.client.status(pkg.id, String(v.version)) })));
      return all.flatMap(({ v, s }) => s.events.map((e) => ({ ...e, version: v }))).sort((a, b) => b.at.localeCompare(a.at));
    },
    [api, pkg.id, published.map((v) => v.version).join()],
    ['packages'],
  );
  return (
    <Loaded resource={events} what="events">
      {(items) => (
        <Timeline
          label="Package events"
          items={items.map((e) => ({ at: e.at, text: `v${e.version}${e.region ? ` · ${e.region}` : ''} · ${e.type}: ${e.message}` }))}
        />
      )}
    </Loaded>
  );
}
