/** Small pieces every page uses: state badges, times, the event timeline, form fields. */
import { useId, type ReactNode } from 'react';

/** A form's or an action's failure, announced to screen readers; nothing when there is none. */
export function Alert({ message }: { message: string | null | undefined }) {
  return message ? (
    <p className="field-error" role="alert">
      {message}
    </p>
  ) : null;
}

export function StateBadge({ state }: { state: string }) {
  return <span className={`badge ${state}`}>{state}</span>;
}

export function Time({ at }: { at: string | null | undefined }) {
  if (!at) return <span>—</span>;
  const d = new Date(at);
  return <time dateTime={at}>{d.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' })}</time>;
}

/** "in 3 min" from the server's own clock reading `asOf` (simulated time on the simulator). */
export function eta(expectedFinishAt: string | null, asOf: string): string | undefined {
  if (!expectedFinishAt) return undefined;
  const s = Math.max(0, Math.round((Date.parse(expectedFinishAt) - Date.parse(asOf)) / 1000));
  if (s < 60) return `about ${s} s left`;
  if (s < 3600) return `about ${Math.round(s / 60)} min left`;
  return `about ${(s / 3600).toFixed(1)} h left`;
}

export interface TimelineItem {
  at: string;
  text: ReactNode;
}

export function Timeline({ items, label }: { items: TimelineItem[]; label: string }) {
  if (items.length === 0) return <p className="hint">No events yet.</p>;
  return (
    <ol className="timeline" aria-label={label}>
      {items.map((e, i) => (
        <li key={i}>
          <Time at={e.at} /> {e.text}
        </li>
      ))}
    </ol>
  );
}

/** A labelled control with its hint and the rules it breaks, wired for screen readers. */
export function Field({
  label,
  hint,
  errors = [],
  children,
}: {
  label: string;
  hint?: string;
  errors?: string[];
  children: (props: { id: string; 'aria-describedby': string | undefined; 'aria-invalid': true | undefined }) => ReactNode;
}) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors.length > 0 ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-describedby': describedBy, 'aria-invalid': errors.length > 0 ? true : undefined })}
      {hint && (
        <p id={hintId} className="hint">
          {hint}
        </p>
      )}
      {errorId && (
        <div id={errorId} className="field-error">
          {errors.map((e) => (
            <p key={e}>{e}</p>
          ))}
        </div>
      )}
    </div>
  );
}
