/** Create a package and its first draft: every rule of every field shown as it is broken, before sending. */
import { useState, type FormEvent } from 'react';
import { ApiError, describeError } from '../../api.ts';
import { navigate, useTitle } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import { Alert, Field } from '../../ui/bits.tsx';
import { Loaded } from '../../ui/states.tsx';
import { useResource } from '../../use-resource.ts';
import { EMPTY_FORM, formViolations, requestOf, violationsByControl, type PackageFormState } from './package-form.ts';
import { RegionChecklist } from './region-checklist.tsx';

export function PackageCreatePage() {
  useTitle('Create deployment package');
  const { api } = useSession();
  const regions = useResource(() => api.client.regions(), [api]);
  const [form, setForm] = useState<PackageFormState>(EMPTY_FORM);
  const [touched, setTouched] = useState<Set<keyof PackageFormState>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<Partial<Record<keyof PackageFormState, string[]>>>({});
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);

  const local = violationsByControl(formViolations(form));
  const shown = (k: keyof PackageFormState) => [...((submitted || touched.has(k)) && local[k] ? local[k] : []), ...(serverErrors[k] ?? [])];
  const set = <K extends keyof PackageFormState>(k: K, v: PackageFormState[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    setTouched((t) => new Set(t).add(k));
    setServerErrors((s) => ({ ...s, [k]: undefined }));
  };
  const text = (k: keyof PackageFormState) => ({
    value: form[k] as string,
    onChange: (e: { target: { value: string } }) => set(k, e.target.value),
  });

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    setFailure(undefined);
    if (Object.keys(local).length > 0) {
      document.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    setBusy(true);
    try {
      const created = await api.client.createPackage(requestOf(form));
      navigate(`/packages/${encodeURIComponent(created.name)}`);
    } catch (err) {
      setBusy(false);
      const violations = err instanceof ApiError ? (err.details as { violations?: { field: string; message: string }[] } | null)?.violations : undefined;
      if (violations) setServerErrors(violationsByControl(violations.map((v) => ({ ...v, rule: '' }))));
      else if (err instanceof ApiError && err.code === 'PACKAGE_NAME_TAKEN') setServerErrors({ name: [err.message] });
      else setFailure(describeError(err));
    }
  }

  const count = Object.keys(local).length;
  return (
    <section>
      <h1>Create deployment package</h1>
      <form onSubmit={submit} noValidate className="card">
        <h2>Package</h2>
        <Field label="Package name" hint="3–128 characters: letters, digits and _. Cannot be changed after creation." errors={shown('name')}>
          {(p) => <input {...p} name="name" autoComplete="off" {...text('name')} />}
        </Field>
        <Field label="Description" hint="10–500 characters." errors={shown('description')}>
          {(p) => <textarea {...p} name="description" rows={2} {...text('description')} />}
        </Field>
        <Field label="Resource group (optional)" errors={shown('resourceGroup')}>
          {(p) => <input {...p} name="resourceGroup" {...text('resourceGroup')} />}
        </Field>
        <Field label="Tags (optional)" hint="One KEY=VALUE a line, at most 20; keys may not start with aliyun or acs:." errors={shown('tags')}>
          {(p) => <textarea {...p} name="tags" rows={2} {...text('tags')} />}
        </Field>
        <h2>First version (draft)</h2>
        <Field label="Version name" hint="3–50 characters: letters, digits and _." errors={shown('versionName')}>
          {(p) => <input {...p} name="versionName" {...text('versionName')} />}
        </Field>
        <Field label="Version description (optional)" hint="10–500 characters." errors={shown('versionDescription')}>
          {(p) => <textarea {...p} name="versionDescription" rows={2} {...text('versionDescription')} />}
        </Field>
        <Loaded resource={regions} what="regions">
          {(r) => (
            <>
              <Field label="Source region" hint="Where the custom image is." errors={shown('sourceRegion')}>
                {(p) => (
                  <select {...p} name="sourceRegion" {...text('sourceRegion')}>
                    <option value="">Choose a region</option>
                    {r.items.map((x) => (
                      <option key={x.id} value={x.id}>
                        {x.id} ({x.name})
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label="Source image ID" hint="The custom image in the source region, e.g. m-bp1…" errors={shown('imageId')}>
                {(p) => <input {...p} name="imageId" className="mono" {...text('imageId')} />}
              </Field>
              <RegionChecklist regions={r.items} selected={form.regions} onChange={(v) => set('regions', v)} errors={shown('regions')} />
            </>
          )}
        </Loaded>
        {submitted && count > 0 && (
          <p className="field-error" role="alert">
            {count === 1 ? 'One field breaks a rule' : `${count} fields break a rule`}: see the messages by each.
          </p>
        )}
        <Alert message={failure} />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Saving…' : 'Create and save draft'}
          </button>
          <button type="button" className="secondary" onClick={() => navigate('/packages')}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}
