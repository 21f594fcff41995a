// The legend, History and the sweep table are rebuilt on every redraw, so the control that had
// the keyboard focus (a legend toggle just pressed with Enter, a History tick, a sort button) is
// replaced and the focus falls back to the page: the next Tab would start again at the top.
// This puts the focus on the control that replaced it, found by what it is (its id, or its table,
// its row's run and its kind), before the next key arrives.

const ATTRS = ['data-group', 'data-sort'];

/** A selector for the control `e` is, that its replacement after a rebuild also matches; null when there is none. */
export function focusKey(e: Element): string | null {
  if (e.id) return `#${CSS.escape(e.id)}`;
  const scope = e.parentElement?.closest('[id]');
  if (!scope) return null;
  const row = e.closest<HTMLElement>('[data-run-id]');
  const rowSel = row?.dataset.runId ? `[data-run-id="${CSS.escape(row.dataset.runId)}"] ` : '';
  const classes = [...e.classList].map((c) => `.${CSS.escape(c)}`).join('');
  const attrs = ATTRS.filter((a) => e.hasAttribute(a))
    .map((a) => `[${a}="${CSS.escape(e.getAttribute(a) ?? '')}"]`)
    .join('');
  if (!rowSel && !attrs) return null;
  return `#${CSS.escape(scope.id)} ${rowSel}${e.tagName.toLowerCase()}${classes}${attrs}`;
}

export function keepFocus(root: HTMLElement): void {
  let last: { el: Element; key: string } | null = null;
  root.addEventListener('focusin', (ev) => {
    const el = ev.target instanceof Element ? ev.target : null;
    const key = el && focusKey(el);
    last = el && key ? { el, key } : null;
  });
  // Focus moved away on purpose (a click on the page, another window): nothing to bring back.
  root.addEventListener('focusout', (ev) => {
    const el = ev.target;
    if (ev.relatedTarget === null) queueMicrotask(() => {
      if (last?.el === el && last.el.isConnected) last = null;
    });
  });
  new MutationObserver(() => {
    if (!last || last.el.isConnected) return;
    const active = document.activeElement;
    if (active && active !== document.body) return;
    const next = root.querySelector<HTMLElement>(last.key);
    if (next) next.focus({ preventScroll: true });
  }).observe(root, { childList: true, subtree: true });
}
