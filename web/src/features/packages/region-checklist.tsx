/** Distribution regions as a checklist grouped by area, with the rules the choice breaks. */
import { useId } from 'react';
import type { Region } from '../../../../src/contract/schemas.ts';

export function RegionChecklist({ regions, selected, onChange, errors }: { regions: Region[]; selected: string[]; onChange: (v: string[]) => void; errors: string[] }) {
  const id = useId();
  const toggle = (r: string, on: boolean) => onChange(on ? [...selected, r] : selected.filter((s) => s !== r));
  return (
    <fieldset className="region-picker" aria-describedby={errors.length ? `${id}-error` : `${id}-hint`} aria-invalid={errors.length ? true : undefined}>
      <legend>
        <strong>Distribution regions</strong>
      </legend>
      <p id={`${id}-hint`} className="hint" style={{ gridColumn: '1 / -1' }}>
        At least one. {selected.length} selected.
      </p>
      {regions.map((r) => (
        <label key={r.id}>
          <input type="checkbox" name="regions" value={r.id} checked={selected.includes(r.id)} onChange={(e) => toggle(r.id, e.target.checked)} />
          <span>
            {r.id}
            <span className="why">{r.name}</span>
          </span>
        </label>
      ))}
      {errors.length > 0 && (
        <div id={`${id}-error`} className="field-error" style={{ gridColumn: '1 / -1' }}>
          {errors.map((e) => (
            <p key={e}>{e}</p>
          ))}
        </div>
      )}
    </fieldset>
  );
}
