/** The revision's image placeholders: where each stands, what it is associated with and where that is available. */
import { useState } from 'react';
import type { RevisionView } from '../../../../src/contract/services.ts';
import { SelectPackageDialog } from './select-package-dialog.tsx';

export function Placeholders({ serviceId, revision, editable, onChanged }: { serviceId: string; revision: RevisionView; editable: boolean; onChanged: () => void }) {
  const [selecting, setSelecting] = useState<string>();
  const list = revision.placeholders ?? [];
  if (list.length === 0) return <p className="state empty">The template has no image placeholder.</p>;
  return (
    <>
      <div className="table-wrap" tabIndex={0}>
        <table aria-label="Image placeholders">
          <thead>
            <tr>
              <th>Placeholder</th>
              <th>Used by</th>
              <th>Deployment package</th>
              <th>Available in</th>
              {editable && <th>Action</th>}
            </tr>
          </thead>
          <tbody>
            {list.map((p) => (
              <tr key={p.value}>
                <th scope="row">
                  <code>{p.value}</code>
                </th>
                <td>{p.sites.map((s) => `${s.resource} (line ${s.line})`).join(', ')}</td>
                <td>{p.association ? `${p.association.packageName ?? p.association.packageId} · ${p.association.version === 'draft' ? 'draft' : `v${p.association.version}`}` : 'not associated'}</td>
                <td>{p.association ? p.association.availableRegions.join(', ') || 'nowhere yet' : '—'}</td>
                {editable && (
                  <td>
                    <button type="button" className="secondary" onClick={() => setSelecting(p.value)} aria-label={`Select deployment package for ${p.value}`}>
                      Select deployment package
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {selecting && (
        <SelectPackageDialog
          serviceId={serviceId}
          placeholder={selecting}
          onClose={() => setSelecting(undefined)}
          onDone={() => {
            setSelecting(undefined);
            onChanged();
          }}
        />
      )}
    </>
  );
}
