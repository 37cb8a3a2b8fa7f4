/** Create a service: name, description, template type, visibility and the template, checked as typed. */
import { useId, useState, type FormEvent } from 'react';
import { CreateServiceRequest } from '../../../../src/contract/services.ts';
import { bodyViolations } from '../../../../src/contract/field-check.ts';
import { checkService, type ServiceInput } from '../../../../src/domain/service/service-rules.ts';
import { ApiError, describeError } from '../../api.ts';
import { navigate, useTitle } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import { Alert, Field } from '../../ui/bits.tsx';
import { TemplateEditor } from './template-editor.tsx';

const STARTER = 'ROSTemplateFormatVersion: "2015-09-01"\nResources:\n  Web:\n    Type: ALIYUN::ECS::Instance\n    Properties:\n      ImageId: m-placeholder\n';

export function ServiceCreatePage() {
  useTitle('Create service');
  const { api } = useSession();
  const templateId = useId();
  const [f, setF] = useState({ name: '', description: '', deployType: 'ros', visibility: 'private', template: STARTER });
  const [touched, setTouched] = useState(new Set<string>());
  const [submitted, setSubmitted] = useState(false);
  const [failure, setFailure] = useState<string>();
  const [diagnostics, setDiagnostics] = useState<{ severity: 'error' | 'warning'; message: string; line: number; column: number }[]>([]);

  const violations = bodyViolations(f, CreateServiceRequest, (b) => checkService(b as ServiceInput));
  const errors = (k: string) => (submitted || touched.has(k) ? violations.filter((v) => v.field === k || v.field.startsWith(`${k}.`)).map((v) => v.message) : []);
  const set = (k: keyof typeof f, v: string) => {
    setF((x) => ({ ...x, [k]: v }));
    setTouched((t) => new Set(t).add(k));
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    if (violations.length > 0) return;
    try {
      const s = await api.services.create(f);
      navigate(`/services/${s.id}`);
    } catch (err) {
      const d = err instanceof ApiError ? (err.details as { diagnostics?: typeof diagnostics } | null) : null;
      if (d?.diagnostics) setDiagnostics(d.diagnostics);
      setFailure(describeError(err));
    }
  }

  return (
    <section>
      <h1>Create service</h1>
      <form onSubmit={submit} noValidate className="card">
        <Field label="Service name" hint="3–128 characters: letters, digits and _." errors={errors('name')}>
          {(p) => <input {...p} name="name" value={f.name} onChange={(e) => set('name', e.target.value)} />}
        </Field>
        <Field label="Description" hint="10–500 characters." errors={errors('description')}>
          {(p) => <textarea {...p} name="description" rows={2} value={f.description} onChange={(e) => set('description', e.target.value)} />}
        </Field>
        <Field label="Template type" errors={errors('deployType')}>
          {(p) => (
            <select {...p} value={f.deployType} onChange={(e) => set('deployType', e.target.value)}>
              <option value="ros">ROS (YAML or JSON)</option>
              <option value="terraform">Terraform (HCL)</option>
            </select>
          )}
        </Field>
        <Field label="Visibility" hint="Who may see and deploy it once Online; change it later on the service page." errors={errors('visibility')}>
          {(p) => (
            <select {...p} value={f.visibility} onChange={(e) => set('visibility', e.target.value)}>
              <option value="private">Private</option>
              <option value="public">Public</option>
            </select>
          )}
        </Field>
        <label htmlFor={templateId}>Template</label>
        <p id={`${templateId}-hint`} className="hint">
          Each image value must be a string literal: that literal is the placeholder you then associate with a package.
        </p>
        <TemplateEditor
          id={templateId}
          describedBy={`${templateId}-hint`}
          value={f.template}
          onChange={(t) => set('template', t)}
          placeholders={[]}
          diagnostics={diagnostics}
          language={f.deployType === 'terraform' ? 'terraform' : 'ros'}
        />
        {errors('template').map((m) => (
          <p key={m} className="field-error">
            {m}
          </p>
        ))}
        <Alert message={failure} />
        <div className="actions">
          <button type="submit">Create service</button>
          <button type="button" className="secondary" onClick={() => navigate('/services')}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}
