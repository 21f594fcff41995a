// Table rows kept across redraws. The legend and History follow a stream (every second or two
// while a sweep trains); rebuilding every row each time made the browser style, lay out and
// shape the text of the whole table again (≈40 ms a rebuild for a 54-run sweep, profiled in
// test/webview/perf.test.ts's stream). A row whose key and signature are unchanged keeps its
// element, so a redraw costs the rows that changed.

export interface KeyedRow {
  /** Unique among the rows: which row this is (a run id, a variant key). */
  key: string;
  /** Everything the row shows or its handlers depend on: a row is rebuilt when this changes. */
  sig: string;
  build(): HTMLElement;
}

const meta = new WeakMap<Element, { key: string; sig: string }>();

/** Makes `parent`'s children `rows`, in order, reusing each child whose key and signature match. */
export function patchRows(parent: HTMLElement, rows: readonly KeyedRow[]): void {
  const old = new Map<string, Element>();
  for (const c of parent.children) {
    const m = meta.get(c);
    if (m) old.set(m.key, c);
  }
  const want = rows.map((r) => {
    const o = old.get(r.key);
    old.delete(r.key);
    if (o && meta.get(o)?.sig === r.sig) return o;
    const el = r.build();
    meta.set(el, { key: r.key, sig: r.sig });
    return el;
  });
  // Only what moved, came or went touches the DOM: an unchanged row is not even re-inserted.
  // Rows that go are removed first, or every row after one would be moved past it.
  const kept = new Set(want);
  for (const c of [...parent.children]) if (!kept.has(c)) c.remove();
  want.forEach((el, i) => {
    const at = parent.children[i] ?? null;
    if (at !== el) parent.insertBefore(el, at);
  });
}
