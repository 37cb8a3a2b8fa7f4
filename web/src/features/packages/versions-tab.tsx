/** Versions: the draft (save, publish with confirmation) and each published version's distribution. */
import { useState } from 'react';
import type { Package, Version } from '../../../../src/contract/schemas.ts';
import { describeError } from '../../api.ts';
import { useSession } from '../../session.tsx';
import { Alert, StateBadge, Time } from '../../ui/bits.tsx';
import { Confirm } from '../../ui/confirm.tsx';
import { VersionDistribution } from './version-distribution.tsx';
import { DraftEditor } from './draft-editor.tsx';

export function VersionsTab({ pkg, onChanged }: { pkg: Package; onChanged: () => void }) {
  const draft = pkg.versions.find((v) => v.version === 'draft');
  const published = pkg.versions.filter((v) => v.version !== 'draft').reverse();
  const [editing, setEditing] = useState(false);
  const base = draft ?? published[0];
  const saved = () => {
    setEditing(false);
    onChanged();
  };
  return (
    <>
      {editing && base ? (
        <DraftEditor pkg={pkg} from={base} onSaved={saved} onCancel={() => setEditing(false)} />
      ) : (
        <div className="actions">
          <button type="button" className="secondary" onClick={() => setEditing(true)}>
            {draft ? 'Edit draft' : 'New draft'}
          </button>
        </div>
      )}
      {draft && !editing && <DraftCard pkg={pkg} draft={draft} onChanged={onChanged} />}
      {published.length === 0 && <p className="state empty">No published version yet: publish the draft to distribute it.</p>}
      {published.map((v) => (
        <article key={v.id} className="card" aria-labelledby={`v-${v.id}`}>
          <h2 id={`v-${v.id}`}>
            v{v.version} · {v.name} <StateBadge state={v.state} />
          </h2>
          <p className="hint">
            Published <Time at={v.publishedAt} /> · from {v.content.sourceRegion} <code>{v.content.imageId ?? v.content.productCode}</code> · content locked
          </p>
          <VersionDistribution pkg={pkg} version={v} />
        </article>
      ))}
    </>
  );
}

function DraftCard({ pkg, draft, onChanged }: { pkg: Package; draft: Version; onChanged: () => void }) {
  const { api } = useSession();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function publish() {
    setConfirming(false);
    setBusy(true);
    setError(undefined);
    try {
      await api.client.publish(pkg.id);
      onChanged();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <article className="card" aria-labelledby="draft-title">
      <h2 id="draft-title">
        Draft · {draft.name} <StateBadge state="Draft" />
      </h2>
      <p className="hint">A draft is not distributed; it can be tested only in its source region, {draft.content.sourceRegion}.</p>
      <p>
        Image <code>{draft.content.imageId ?? `${draft.content.productCode} ${draft.content.productVersion}`}</code> in {draft.content.sourceRegion}; regions:{' '}
        {draft.content.regions.join(', ')}
      </p>
      {draft.warnings?.map((w) => (
        <p key={w.code} className="field-error">
          {w.message}
        </p>
      ))}
      <Alert message={error} />
      <div className="actions">
        <button type="button" disabled={busy} onClick={() => setConfirming(true)}>
          Publish…
        </button>
      </div>
      <Confirm open={confirming} title="Publish this draft?" confirmLabel="Publish and distribute" onConfirm={publish} onCancel={() => setConfirming(false)}>
        <p>
          Publishing turns the draft into version {(pkg.latestVersion ?? 0) + 1} and starts copying it to {draft.content.regions.length} region
          {draft.content.regions.length === 1 ? '' : 's'}. <strong>Its content is then locked</strong>: to change the image or the regions, save a new draft.
        </p>
      </Confirm>
    </article>
  );
}
