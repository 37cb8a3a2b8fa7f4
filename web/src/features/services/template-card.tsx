/** The revision's template in the editor, its placeholders marked and the API's diagnostics at their lines; saved on demand. */
import { useId, useState } from 'react';
import type { RevisionView, Service } from '../../../../src/contract/services.ts';
import { describeError } from '../../api.ts';
import { useSession } from '../../session.tsx';
import { TemplateEditor } from './template-editor.tsx';

export function TemplateCard({ service, revision, editable, onSaved }: { service: Service; revision: RevisionView; editable: boolean; onSaved: () => void }) {
  const { api } = useSession();
  const id = useId();
  const file = revision.template?.files[0];
  const [text, setText] = useState(file?.text ?? '');
  const [message, setMessage] = useState<string>();
  const diagnostics = (revision.diagnostics ?? []).filter((d) => !file || d.file === file.name);
  const dirty = text !== (file?.text ?? '');

  async function save() {
    setMessage(undefined);
    try {
      const r = await api.services.updateTemplate(service.id, text);
      setMessage(r.droppedAssociations.length ? `Saved; associations dropped with their placeholders: ${r.droppedAssociations.map((d) => d.placeholder).join(', ')}` : 'Saved.');
      onSaved();
    } catch (err) {
      setMessage(describeError(err));
    }
  }

  return (
    <div className="card">
      <label htmlFor={id}>Template{file ? ` (${file.name})` : ''}</label>
      <TemplateEditor
        id={id}
        value={text}
        onChange={setText}
        placeholders={(revision.placeholders ?? []).map((p) => p.value)}
        diagnostics={diagnostics}
        language={service.deployType}
      />
      {diagnostics.length > 0 && (
        <ul aria-label="Template diagnostics">
          {diagnostics.map((d, i) => (
            <li key={i} className={d.severity === 'error' ? 'field-error' : 'hint'}>
              line {d.line}, column {d.column}: {d.message} ({d.code})
            </li>
          ))}
        </ul>
      )}
      {editable && (
        <div className="actions">
          <button type="button" disabled={!dirty} onClick={save}>
            Save template
          </button>
          {message && <span role="status">{message}</span>}
        </div>
      )}
    </div>
  );
}
