// The page's code editor: CodeMirror 6 with YAML highlighting, Go-template actions
// ({{ ... }}) highlighted over it, line numbers, Tab indentation (Esc then Tab leaves the
// editor), undo history, and an error underline at a line and column. Bundled by
// scripts/build-web.mjs (esbuild) into web/dist/cm.js.
//
// createEditor(host, { label, onChange }) returns { value, set(text, mode), setError(e),
// goto(line, col), jump(line), clearJump(), cursorLine, jumpLine, focus(), setLabel(text),
// setValueAsUser(text), select(from, to) }; the same object is reachable as host.editor (the
// browser tests drive the editor through it).

import { EditorState, StateEffect, StateField, RangeSetBuilder, Compartment } from "@codemirror/state";
import {
  EditorView,
  Decoration,
  ViewPlugin,
  keymap,
  lineNumbers,
  highlightActiveLine,
  highlightActiveLineGutter,
  drawSelection,
  gutterLineClass,
  GutterMarker,
  WidgetType,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { HighlightStyle, syntaxHighlighting, indentUnit, bracketMatching } from "@codemirror/language";
import { yaml } from "@codemirror/lang-yaml";
import { tags } from "@lezer/highlight";

// Colours come from the page's CSS variables, so light and dark follow the system.
const highlightStyle = HighlightStyle.define([
  { tag: [tags.propertyName, tags.definition(tags.propertyName)], color: "var(--hl-key)" },
  { tag: [tags.string, tags.special(tags.string), tags.content], color: "var(--hl-str)" },
  { tag: [tags.number, tags.bool, tags.null, tags.atom], color: "var(--hl-num)" },
  { tag: tags.comment, color: "var(--hl-comment)", fontStyle: "italic" },
  { tag: [tags.meta, tags.documentMeta, tags.processingInstruction], color: "var(--hl-sep)" },
  { tag: [tags.labelName, tags.typeName], color: "var(--hl-source)" },
]);

// Go-template actions: the whole {{ ... }} marked, its keywords, variables, fields and
// strings inside.
const WORDS = new Set(["if", "else", "end", "range", "with", "define", "template", "block", "include", "tpl", "break", "continue", "and", "or", "not", "eq", "ne", "lt", "le", "gt", "ge", "nil", "true", "false"]);
const TOKEN = /("(?:[^"\\]|\\.)*"|`[^`]*`)|(\$[A-Za-z0-9_]*)|(\.[A-Za-z0-9_.]+)|\b([A-Za-z_][A-Za-z0-9_]*)\b/g;
const marks = {
  action: Decoration.mark({ class: "t" }),
  comment: Decoration.mark({ class: "t c" }),
  str: Decoration.mark({ class: "s" }),
  v: Decoration.mark({ class: "v" }),
  f: Decoration.mark({ class: "f" }),
  kw: Decoration.mark({ class: "kw" }),
  fn: Decoration.mark({ class: "fn" }),
};

function templateDecorations(view) {
  const builder = new RangeSetBuilder();
  for (const { from, to } of view.visibleRanges) {
    // Start a little earlier so an action that begins above the viewport is found.
    const start = Math.max(0, from - 2000);
    const text = view.state.doc.sliceString(start, to);
    const re = /\{\{[\s\S]*?\}\}/g;
    let m;
    while ((m = re.exec(text))) {
      const a = start + m.index;
      const b = a + m[0].length;
      if (b < from) continue;
      if (/^\{\{-?\s*\/\*/.test(m[0])) {
        builder.add(a, b, marks.comment);
        continue;
      }
      builder.add(a, b, marks.action);
      TOKEN.lastIndex = 0;
      let t;
      const body = m[0];
      const inner = [];
      while ((t = TOKEN.exec(body))) {
        const kind = t[1] ? "str" : t[2] ? "v" : t[3] ? "f" : WORDS.has(t[4]) ? "kw" : "fn";
        inner.push([a + t.index, a + t.index + t[0].length, marks[kind]]);
      }
      for (const [x, y, d] of inner) builder.add(x, y, d);
    }
  }
  return builder.finish();
}

const templateHighlighter = ViewPlugin.fromClass(
  class {
    constructor(view) {
      this.decorations = templateDecorations(view);
    }
    update(u) {
      if (u.docChanged || u.viewportChanged) this.decorations = templateDecorations(u.view);
    }
  },
  { decorations: (v) => v.decorations },
);

// The error underline: set by an effect, mapped through edits until the next result.
const setErrorEffect = StateEffect.define();
const errorField = StateField.define({
  create: () => null,
  update(value, tr) {
    for (const e of tr.effects) if (e.is(setErrorEffect)) return e.value;
    return value;
  },
});

function errorRange(state, e) {
  if (!e || !(e.line >= 1 && e.line <= state.doc.lines)) return null;
  const line = state.doc.line(e.line);
  const col = Math.min(Math.max((e.col || 1) - 1, 0), line.length);
  return { from: line.from + col, to: line.to, line };
}

const errorDecorations = EditorView.decorations.compute([errorField, "doc"], (state) => {
  const e = state.field(errorField);
  const r = errorRange(state, e);
  if (!r) return Decoration.none;
  const attrs = { "data-line": String(e.line), "data-col": String(r.from - r.line.from + 1) };
  const builder = new RangeSetBuilder();
  builder.add(r.line.from, r.line.from, Decoration.line({ class: "cm-err-line" }));
  if (r.to > r.from) builder.add(r.from, r.to, Decoration.mark({ class: "err-mark", attributes: attrs }));
  else builder.add(r.from, r.from, Decoration.widget({ widget: new EmptyMark(attrs), side: 1 }));
  return builder.finish();
});

class EmptyMark extends WidgetType {
  constructor(attrs) {
    super();
    this.attrs = attrs;
  }
  eq(o) {
    return o.attrs["data-line"] === this.attrs["data-line"];
  }
  toDOM() {
    const s = document.createElement("span");
    s.className = "err-mark";
    for (const [k, v] of Object.entries(this.attrs)) s.setAttribute(k, v);
    s.textContent = " ";
    return s;
  }
}

// The line a link jumped to (an error's origin, a lint finding's template line): highlighted
// until the text is edited or another jump replaces it.
const setJumpEffect = StateEffect.define();
const jumpField = StateField.define({
  create: () => null,
  update(value, tr) {
    for (const e of tr.effects) if (e.is(setJumpEffect)) return e.value;
    return tr.docChanged ? null : value;
  },
});

const jumpDecorations = EditorView.decorations.compute([jumpField], (state) => {
  const n = state.field(jumpField);
  if (!(n >= 1 && n <= state.doc.lines)) return Decoration.none;
  const line = state.doc.line(n);
  return Decoration.set([Decoration.line({ class: "cm-jump-line", attributes: { "data-jump-line": String(n) } }).range(line.from)]);
});

const jumpGutterMarker = new (class extends GutterMarker {
  elementClass = "jump-gutter";
})();

const jumpGutter = gutterLineClass.compute([jumpField], (state) => {
  const n = state.field(jumpField);
  const builder = new RangeSetBuilder();
  if (n >= 1 && n <= state.doc.lines) builder.add(state.doc.line(n).from, state.doc.line(n).from, jumpGutterMarker);
  return builder.finish();
});

const errGutterMarker = new (class extends GutterMarker {
  elementClass = "err-gutter";
})();

const errorGutter = gutterLineClass.compute([errorField, "doc"], (state) => {
  const r = errorRange(state, state.field(errorField));
  const builder = new RangeSetBuilder();
  if (r) builder.add(r.line.from, r.line.from, errGutterMarker);
  return builder.finish();
});

export function createEditor(host, { label = "editor", onChange = () => {} } = {}) {
  // Inside a shadow root CodeMirror's styles go to adoptedStyleSheets (CSSOM), which the
  // page's Content-Security-Policy (style-src 'self', no inline <style>) allows; the page's
  // own editor styles come from editor.css, a same-origin stylesheet.
  const shadow = host.attachShadow({ mode: "open" });
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = new URL("./editor.css", import.meta.url).href;
  const mount = document.createElement("div");
  mount.className = "mount";
  shadow.append(link, mount);
  const language = new Compartment();
  const attrs = new Compartment();
  let silent = false;
  const baseExtensions = [
    lineNumbers(),
    highlightActiveLineGutter(),
    history(),
    drawSelection(),
    highlightActiveLine(),
    bracketMatching(),
    indentUnit.of("  "),
    EditorState.tabSize.of(2),
    keymap.of([indentWithTab, ...defaultKeymap, ...historyKeymap]),
    syntaxHighlighting(highlightStyle),
  ];
  // After the language (whose template marks it must wrap, not be split by).
  const errorExtensions = [
    errorField,
    errorDecorations,
    errorGutter,
    jumpField,
    jumpDecorations,
    jumpGutter,
    EditorView.updateListener.of((u) => {
      if (u.docChanged && !silent) onChange();
    }),
  ];
  const languageFor = (mode) => (mode === "plain" ? [] : mode === "template" ? [yaml(), templateHighlighter] : yaml());
  let currentLabel = label;
  const makeState = (text, mode) =>
    EditorState.create({
      doc: text,
      extensions: [
        ...baseExtensions,
        language.of(languageFor(mode)),
        attrs.of(EditorView.contentAttributes.of({ "aria-label": currentLabel })),
        ...errorExtensions,
      ],
    });
  const view = new EditorView({ root: shadow, parent: mount, state: makeState("", "yaml") });
  // One state per open file (its text, selection and undo history), kept while switching.
  const states = new Map();
  let currentKey = null;

  const api = {
    view,
    get value() {
      return view.state.doc.toString();
    },
    set(text, mode) {
      silent = true;
      const changes = text === view.state.doc.toString() ? [] : { from: 0, to: view.state.doc.length, insert: text };
      view.dispatch({
        changes,
        effects: language.reconfigure(languageFor(mode)),
        selection: changes.length === 0 ? undefined : { anchor: 0 },
        scrollIntoView: true,
      });
      silent = false;
    },
    // Shows the file `key` with `text`: its earlier state (selection, undo history) when the
    // text is unchanged since, else a fresh one.
    open(key, text, mode) {
      if (currentKey !== null) states.set(currentKey, view.state);
      let st = states.get(key);
      if (!st || st.doc.toString() !== text) st = makeState(text, mode);
      view.setState(st);
      currentKey = key;
    },
    // Drops the kept states (another chart was opened).
    forget() {
      states.clear();
      currentKey = null;
    },
    // Replaces the text as a person's edit would (undoable, fires onChange).
    setValueAsUser(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, userEvent: "input" });
    },
    select(from, to = from) {
      view.focus();
      view.dispatch({ selection: { anchor: from, head: to }, scrollIntoView: true });
    },
    setError(e) {
      const cur = view.state.field(errorField);
      const same = (!e && !cur) || (e && cur && e.line === cur.line && e.col === cur.col);
      if (!same) view.dispatch({ effects: setErrorEffect.of(e) });
    },
    goto(line, col) {
      const l = view.state.doc.line(Math.min(Math.max(1, line), view.state.doc.lines));
      const pos = Math.min(l.from + Math.max(0, (col || 1) - 1), l.to);
      view.focus();
      view.dispatch({ selection: { anchor: pos }, effects: EditorView.scrollIntoView(pos, { y: "center" }) });
    },
    // Opens `line`: the cursor at its first non-blank character, scrolled to the middle, the
    // line highlighted until the next edit or jump.
    jump(line) {
      const n = Math.min(Math.max(1, line), view.state.doc.lines);
      const l = view.state.doc.line(n);
      const pos = l.from + /^\s*/.exec(l.text)[0].length;
      view.focus();
      view.dispatch({ selection: { anchor: pos }, effects: [setJumpEffect.of(n), EditorView.scrollIntoView(pos, { y: "center" })] });
    },
    // Drops the jump highlight, in the shown file and in the files kept aside.
    clearJump() {
      if (view.state.field(jumpField)) view.dispatch({ effects: setJumpEffect.of(null) });
      for (const [key, st] of states) {
        if (st.field(jumpField, false)) states.set(key, st.update({ effects: setJumpEffect.of(null) }).state);
      }
    },
    get jumpLine() {
      return view.state.field(jumpField);
    },
    get cursorLine() {
      return view.state.doc.lineAt(view.state.selection.main.head).number;
    },
    focus() {
      view.focus();
    },
    setLabel(text) {
      currentLabel = text;
      view.dispatch({ effects: attrs.reconfigure(EditorView.contentAttributes.of({ "aria-label": text })) });
    },
  };
  host.editor = api;
  return api;
}
