/** Save the draft: change it, or start a new one from the latest version; checked as typed with the API's rules. */
import { useState, type FormEvent } from 'react';
import type { Package, Version } from '../../../../src/contract/schemas.ts';
import { DraftInput } from '../../../../src/contract/schemas.ts';
import { bodyViolations } from '../../../../src/contract/field-check.ts';
import { draftChangeViolations } from '../../../../src/domain/package.ts';
import { describeError } from '../../api.ts';
import { useSession } from '../../session.tsx';
import { Alert, Field } from '../../ui/bits.tsx';
import { Loaded } from '../../ui/states.tsx';
import { useResource } from '../../use-resource.ts';
import { violationsByControl } from './package-form.ts';
import { RegionChecklist } from './region-checklist.tsx';

export function DraftEditor({ pkg, from, onSaved, onCancel }: { pkg: Package; from: Version; onSaved: () => void; onCancel: () => void }) {
  const { api } = useSession();
  const regions = useResource(() => api.client.regions(), [api]);
  const isDraft = from.version === 'draft';
  const [name, setName] = useState(isDraft ? from.name : '');
  const [description, setDescription] = useState(from.description ?? '');
  const [imageId, setImageId] = useState(from.content.imageId ?? '');
  const [selected, setSelected] = useState(from.content.regions);
  const [failure, setFailure] = useState<string>();

  const body = {
    name,
    ...(description ? { description } : {}),
    content: { imageType: 'custom' as const, sourceRegion: from.content.sourceRegion, imageId, regions: selected },
  };
  const errors = violationsByControl(bodyViolations(body, DraftInput, (b) => draftChangeViolations(b, 'version'), 'version'));

  async function save(e: FormEvent) {
    e.preventDefault();
    if (Object.keys(errors).length > 0) return;
    try {
      await api.client.saveDraft(pkg.id, body);
      onSaved();
    } catch (err) {
      setFailure(describeError(err));
    }
  }

  return (
    <form className="card" onSubmit={save} noValidate aria-label="Draft">
      <h2>{isDraft ? 'Edit the draft' : `New draft from v${from.version}`}</h2>
      <Field label="Version name" hint="3–50 characters: letters, digits and _." errors={errors.versionName}>
        {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field label="Version description (optional)" hint="10–500 characters." errors={errors.versionDescription}>
        {(p) => <textarea {...p} rows={2} value={description} onChange={(e) => setDescription(e.target.value)} />}
      </Field>
      <Field label="Source image ID" hint={`In ${from.content.sourceRegion}.`} errors={errors.imageId}>
        {(p) => <input {...p} className="mono" value={imageId} onChange={(e) => setImageId(e.target.value)} />}
      </Field>
      <Loaded resource={regions} what="regions">
        {(r) => <RegionChecklist regions={r.items} selected={selected} onChange={setSelected} errors={errors.regions ?? []} />}
      </Loaded>
      <Alert message={failure} />
      <div className="actions">
        <button type="submit">Save draft</button>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
