// Confusion matrices of the control and a noisy variant side by side (classification with more
// than 2 classes): the clean test split's counts summed over the variant's finished seeds, each
// cell shaded by its share of the true class's row. They are HTML tables (row and column
// headers, a caption), so screen readers read them as tables; each sits in a focusable region
// that scrolls sideways in a narrow panel.
import type { RunData, Store } from './state';
import { groupKey } from './state';
import type { RunSelection } from './selection';
import { parseColor, type Theme } from './theme';
import type { VariantColours } from './variantColours';

/** One side: the variant, its runs and their counts summed ([true][predicted]). */
export interface ConfusionSide {
  variant: string;
  label: string;
  runs: number;
  cells: number[][];
}

/** The finished runs' matrices of each variant summed; cancelled and failed runs stopped before their end and are left out. */
export function sumByVariant(runs: RunData[]): Map<string, ConfusionSide> {
  const sides = new Map<string, ConfusionSide>();
  for (const r of runs) {
    const m = r.info.summary?.confusion;
    if (!m || (r.info.status !== 'completed' && r.info.status !== 'earlyStopped')) continue;
    const key = groupKey(r.info);
    let side = sides.get(key);
    if (!side) sides.set(key, (side = { variant: key, label: r.info.label, runs: 0, cells: m.map((row) => row.map(() => 0)) }));
    if (side.cells.length !== m.length) continue;
    side.runs++;
    m.forEach((row, i) => row.forEach((v, j) => (side.cells[i][j] += v)));
  }
  return sides;
}

/** The most frequent mistake of a matrix: "most often 8 predicted as 1 (5 of 60)". */
function worstMistake(cells: number[][], name: (i: number) => string): string {
  let best = { n: 0, i: 0, j: 0 };
  cells.forEach((row, i) => row.forEach((v, j) => i !== j && v > best.n && (best = { n: v, i, j })));
  const row = cells[best.i].reduce((a, b) => a + b, 0);
  return best.n ? `most often ${name(best.i)} predicted as ${name(best.j)} (${best.n} of ${row})` : 'no mistakes';
}

export class ConfusionView {
  readonly section: HTMLElement;
  private readonly pair: HTMLElement;
  private shown: ConfusionSide[] = [];
  private drawnKey = '';

  constructor(
    private readonly store: Store,
    private readonly selection: RunSelection,
    private readonly colours: VariantColours,
  ) {
    this.section = document.createElement('section');
    this.section.className = 'confusions';
    this.section.id = 'confusions';
    this.section.setAttribute('aria-labelledby', 'confusions-title');
    const head = document.createElement('div');
    head.className = 'section-head';
    const title = document.createElement('h2');
    title.id = 'confusions-title';
    title.textContent = 'Confusion matrices (test split)';
    head.append(title);
    this.pair = document.createElement('div');
    this.pair.className = 'confusion-pair';
    this.section.append(head, this.pair);
    this.section.hidden = true;
  }

  render(theme: Theme, themeVersion: number, classNames?: string[]): void {
    const sides = sumByVariant(this.store.current());
    const control = sides.get('control');
    const noise = this.noiseSide(sides);
    this.shown = [control, noise].filter((s): s is ConfusionSide => s !== undefined);
    this.section.hidden = this.shown.length === 0;
    const key = JSON.stringify([this.shown, themeVersion, classNames]);
    if (key === this.drawnKey) return;
    this.drawnKey = key;
    const name = (i: number) => classNames?.[i] ?? String(i);
    this.pair.replaceChildren(...this.shown.map((s) => this.table(s, theme, name)));
  }

  /** What is shown, for tests: per side its label, runs and cells. */
  probe(): { label: string; runs: number; cells: number[][] }[] | undefined {
    return this.section.hidden ? undefined : this.shown.map(({ label, runs, cells }) => ({ label, runs, cells }));
  }

  /** The noisy variant beside the control: the latest shown noisy run's, else the latest noisy run's. */
  private noiseSide(sides: Map<string, ConfusionSide>): ConfusionSide | undefined {
    const shown = new Set(this.selection.visible().map((r) => r.info.runId));
    const noisy = this.store
      .current()
      .filter((r) => r.info.variant === 'noise' && sides.has(groupKey(r.info)))
      .sort((a, b) => Number(shown.has(b.info.runId)) - Number(shown.has(a.info.runId)) || b.info.startedAt.localeCompare(a.info.startedAt));
    return noisy.length ? sides.get(groupKey(noisy[0].info)) : undefined;
  }

  private table(side: ConfusionSide, theme: Theme, name: (i: number) => string): HTMLElement {
    const wrap = document.createElement('div');
    wrap.className = 'confusion';
    wrap.dataset.variant = side.variant;
    // Focusable, so the keyboard reaches it and can scroll it in a narrow panel.
    wrap.tabIndex = 0;
    wrap.setAttribute('role', 'region');
    const total = side.cells.flat().reduce((a, b) => a + b, 0);
    const title = side.variant === 'control' ? 'Control' : `Noise: ${side.label}`;
    wrap.setAttribute('aria-label', `${title} confusion matrix`);
    const table = document.createElement('table');
    const caption = document.createElement('caption');
    const seeds = `${side.runs} seed${side.runs === 1 ? '' : 's'}`;
    caption.textContent = `${title}: counts summed over ${seeds} (${total} test images); rows true class, columns predicted; ${worstMistake(side.cells, name)}`;
    const colour = this.colours.ofVariant(side.variant);
    const head = table.createTHead().insertRow();
    const corner = document.createElement('th');
    corner.textContent = 'true \\ predicted';
    corner.scope = 'col';
    head.append(corner);
    side.cells.forEach((_, j) => {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = name(j);
      head.append(th);
    });
    const body = table.createTBody();
    side.cells.forEach((row, i) => {
      const tr = body.insertRow();
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = name(i);
      tr.append(th);
      const rowTotal = row.reduce((a, b) => a + b, 0) || 1;
      row.forEach((v, j) => {
        const td = tr.insertCell();
        td.textContent = String(v);
        td.dataset.count = String(v);
        if (i === j) td.classList.add('diagonal');
        const [bg, fg] = shade(colour, theme, v / rowTotal);
        td.style.background = bg;
        // Zeros recede, so the mistakes stand out.
        td.style.color = v ? fg : theme.muted || fg;
      });
    });
    table.prepend(caption);
    wrap.append(table);
    return wrap;
  }
}

/** A cell's background (the variant's colour at its share of the row, over the theme's background) and the text colour, black or white, of higher contrast on it (WCAG relative luminance). */
function shade(colour: string, theme: Theme, share: number): [string, string] {
  const c = parseColor(colour);
  const base = parseColor(theme.bg);
  // √share: a mistake made 5 times in 60 still shows (linear, it would be 8% of the colour).
  const a = Math.sqrt(Math.min(1, Math.max(0, share))) * 0.85;
  const mix = [0, 1, 2].map((k) => Math.round(c[k] * a + base[k] * (1 - a)));
  const lin = (v: number) => (v / 255 <= 0.04045 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4);
  const lum = 0.2126 * lin(mix[0]) + 0.7152 * lin(mix[1]) + 0.0722 * lin(mix[2]);
  return [`rgb(${mix.join(', ')})`, (lum + 0.05) / 0.05 > 1.05 / (lum + 0.05) ? '#000000' : '#ffffff'];
}
