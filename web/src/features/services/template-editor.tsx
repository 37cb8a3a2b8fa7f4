/**
 * The template editor (CodeMirror): YAML highlighting for ROS, each image placeholder marked
 * where it stands, and the API's template diagnostics shown at their lines.
 */
import { useEffect, useRef } from 'react';
import { basicSetup, EditorView } from 'codemirror';
import { yaml } from '@codemirror/lang-yaml';
import { setDiagnostics, lintGutter, type Diagnostic } from '@codemirror/lint';
import { Compartment, EditorState, RangeSetBuilder, StateEffect, StateField, type Text } from '@codemirror/state';
import { Decoration, type DecorationSet } from '@codemirror/view';

export interface EditorDiagnostic {
  severity: 'error' | 'warning';
  message: string;
  line: number;
  column: number;
}

const setPlaceholders = StateEffect.define<string[]>();

/** Marks every occurrence of each placeholder value in the text. */
function placeholderMarks(doc: Text, values: string[]): DecorationSet {
  const text = doc.toString();
  const found: [number, number][] = [];
  for (const v of values) {
    if (!v) continue;
    for (let at = text.indexOf(v); at >= 0; at = text.indexOf(v, at + v.length)) found.push([at, at + v.length]);
  }
  found.sort((a, b) => a[0] - b[0]);
  const b = new RangeSetBuilder<Decoration>();
  const mark = Decoration.mark({ class: 'cm-placeholder-image', attributes: { title: 'image placeholder' } });
  for (const [from, to] of found) b.add(from, to, mark);
  return b.finish();
}

const placeholderField = StateField.define<{ values: string[]; marks: DecorationSet }>({
  create: () => ({ values: [], marks: Decoration.none }),
  update(value, tr) {
    let values = value.values;
    for (const e of tr.effects) if (e.is(setPlaceholders)) values = e.value;
    if (values === value.values && !tr.docChanged) return value;
    return { values, marks: placeholderMarks(tr.state.doc, values) };
  },
  provide: (f) => EditorView.decorations.from(f, (v) => v.marks),
});

function toCm(doc: Text, d: EditorDiagnostic): Diagnostic {
  const line = doc.line(Math.min(Math.max(d.line, 1), doc.lines));
  const from = Math.min(line.from + Math.max(d.column - 1, 0), line.to);
  return { from, to: line.to > from ? line.to : from, severity: d.severity, message: d.message };
}

export function TemplateEditor({
  id,
  value,
  onChange,
  placeholders,
  diagnostics,
  language,
  describedBy,
}: {
  id: string;
  value: string;
  onChange: (text: string) => void;
  placeholders: string[];
  diagnostics: EditorDiagnostic[];
  language: 'ros' | 'terraform';
  describedBy?: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView>(null);
  const lang = useRef(new Compartment());
  const changed = useRef(onChange);
  changed.current = onChange;

  useEffect(() => {
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          basicSetup,
          // Wrapped and as tall as the text: the editor never scrolls on its own, so no scroll area traps the keyboard.
          EditorView.lineWrapping,
          lang.current.of(language === 'ros' ? yaml() : []),
          lintGutter(),
          placeholderField,
          EditorView.contentAttributes.of({ id, 'aria-label': 'Template', ...(describedBy ? { 'aria-describedby': describedBy } : {}) }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) changed.current(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    return () => v.destroy();
    // The editor is made once; later props arrive through the effects below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({ effects: lang.current.reconfigure(language === 'ros' ? yaml() : []) });
  }, [language]);

  useEffect(() => {
    view.current?.dispatch({ effects: setPlaceholders.of(placeholders) });
  }, [placeholders.join('\n')]);

  useEffect(() => {
    const v = view.current;
    if (v) v.dispatch(setDiagnostics(v.state, diagnostics.map((d) => toCm(v.state.doc, d))));
  }, [JSON.stringify(diagnostics)]);

  return <div ref={host} className="template-editor" />;
}
