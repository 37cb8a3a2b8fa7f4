/** "Select deployment package" for one placeholder: a package, then a version or the draft, with where it is available. */
import { useState } from 'react';
import type { Version } from '../../../../src/contract/schemas.ts';
import { describeError } from '../../api.ts';
import { useSession } from '../../session.tsx';
import { Alert, Field } from '../../ui/bits.tsx';
import { Modal } from '../../ui/confirm.tsx';
import { Loaded } from '../../ui/states.tsx';
import { useResource } from '../../use-resource.ts';

/** Where a version can be deployed now: its Available copies and its source region. */
function availableRegions(v: Version): string[] {
  if (v.version === 'draft') return [v.content.sourceRegion];
  return [...new Set([v.content.sourceRegion, ...v.deliveries.filter((d) => d.state === 'Available').map((d) => d.region)])];
}

export function SelectPackageDialog({ serviceId, placeholder, onClose, onDone }: { serviceId: string; placeholder: string; onClose: () => void; onDone: () => void }) {
  const { api } = useSession();
  const packages = useResource(() => api.client.listPackages({ limit: 100 }), [api]);
  const [pkgId, setPkgId] = useState('');
  const pkg = useResource(async () => (pkgId ? api.client.getPackage(pkgId) : undefined), [api, pkgId], ['packages']);
  const [version, setVersion] = useState('');
  const [error, setError] = useState<string>();
  const chosen = pkg.data?.versions.find((v) => String(v.version) === version);

  async function associate() {
    if (!chosen) return;
    try {
      await api.services.associate(serviceId, { placeholder, package: pkgId, version: chosen.version });
      onDone();
    } catch (err) {
      setError(describeError(err));
    }
  }

  return (
    <Modal open title="Select deployment package" onClose={onClose}>
      <p>
        For the placeholder <code>{placeholder}</code>: at deploy time it becomes the chosen version's image ID in the region deployed to.
      </p>
      <Loaded resource={packages} what="packages">
        {(list) => (
          <Field label="Deployment package">
            {(p) => (
              <select
                {...p}
                value={pkgId}
                onChange={(e) => {
                  setPkgId(e.target.value);
                  setVersion('');
                }}
              >
                <option value="">Choose a package</option>
                {list.items.map((x) => (
                  <option key={x.id} value={x.id}>
                    {x.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
      </Loaded>
      {pkgId && pkg.data && (
        <Field label="Version" hint="A draft can be used only in its source region; a published version wherever it is Available.">
          {(p) => (
            <select {...p} value={version} onChange={(e) => setVersion(e.target.value)}>
              <option value="">Choose a version</option>
              {[...pkg.data!.versions].reverse().map((v) => (
                <option key={v.id} value={String(v.version)}>
                  {v.version === 'draft' ? `draft (${v.name})` : `v${v.version} (${v.name}) · ${v.state}`}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {chosen && (
        <p aria-live="polite">
          Available now in {availableRegions(chosen).length} region(s): {availableRegions(chosen).join(', ')}
        </p>
      )}
      <Alert message={error} />
      <div className="actions">
        <button type="button" disabled={!chosen} onClick={associate}>
          Associate
        </button>
        <button type="button" className="secondary" onClick={onClose}>
          Cancel
        </button>
      </div>
    </Modal>
  );
}
