/** Deploy a service: a region picker marking where it can be deployed now, and why not elsewhere. */
import { useState, type FormEvent } from 'react';
import { describeError } from '../../api.ts';
import { Link, navigate, useTitle } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import { Loaded } from '../../ui/states.tsx';
import { useResource } from '../../use-resource.ts';
import { deployability } from './deployability.ts';
import { Alert } from '../../ui/bits.tsx';

export function InstanceCreatePage({ serviceId }: { serviceId: string }) {
  const { api } = useSession();
  const service = useResource(() => api.services.get(serviceId), [api, serviceId], ['services']);
  useTitle(service.data ? `Deploy ${service.data.name}` : 'Deploy');
  const regions = useResource(
    async () => {
      const [all, d] = await Promise.all([api.client.regions(), deployability(api, serviceId)]);
      const marked = all.items.map((r) => ({ ...r, ...(d.get(r.id) ?? { region: r.id, deployable: false as const, why: 'not known to this service' }) }));
      // Deployable regions first, each group in catalogue order.
      return [...marked.filter((r) => r.deployable), ...marked.filter((r) => !r.deployable)];
    },
    [api, serviceId],
    ['services', 'packages'],
  );
  const [region, setRegion] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function deploy(e: FormEvent) {
    e.preventDefault();
    if (!region) {
      setError('Choose a region where the service can be deployed.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const i = await api.instances.create({ service: serviceId, region });
      navigate(`/instances/${i.id}`);
    } catch (err) {
      setBusy(false);
      setError(describeError(err));
    }
  }

  return (
    <section>
      <p>
        <Link to="/catalog">← Services</Link>
      </p>
      <h1>Deploy {service.data?.name ?? 'service'}</h1>
      <form onSubmit={deploy} noValidate>
        <Loaded resource={regions} what="regions">
          {(list) => (
            <fieldset className="region-picker">
              <legend>
                <strong>Region</strong> · {list.filter((r) => r.deployable).length} of {list.length} deployable now
              </legend>
              {list.map((r) => (
                <label key={r.id} className={r.deployable ? 'deployable' : 'blocked'} data-region={r.id}>
                  <input type="radio" name="region" value={r.id} disabled={!r.deployable} checked={region === r.id} onChange={() => setRegion(r.id)} />
                  <span>
                    {r.id} · {r.name}
                    <span className="why">{r.deployable ? 'Deployable now' : `Not deployable: ${r.why}`}</span>
                  </span>
                </label>
              ))}
            </fieldset>
          )}
        </Loaded>
        <Alert message={error} />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Deploying…' : 'Create instance'}
          </button>
        </div>
      </form>
    </section>
  );
}
