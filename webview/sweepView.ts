// The sweep view: shown when the experiment's last sweep is known. The chart (sweepChart.ts),
// which metric chose the best point, whether that point beats the clean control (and what test
// says), a sortable table of the points (the CLI's columns: validation and test mean ± sd, the
// paired test gain over the control with its 95% interval, the validation loss), the best row
// marked, points stopped early said so, the note when loss and accuracy disagree, and "Apply
// best to file" (applyBest.ts), which asks first when the best does not beat the control.
// Sweeps of 2 or more paths add the parallel-coordinates chart, whose brushes filter the table
// (parallelCoords.ts), and the parameter-importance bar (importance.ts).
import type { SweepView as SweepResult } from '../src/protocol/webview';
import { formatPoint } from '../src/spec/sweep';
import { pointNote } from '../src/report/sweepTable';
import { ApplyBest } from './applyBest';
import type { ImagePart } from './exportImage';
import { ImportanceBar } from './importance';
import { ParallelCoords } from './parallelCoords';
import { bandSwatch, drawSweep, markSwatch, sweepColours, type DrawnSweep, type SweepColours } from './sweepChart';
import type { Theme } from './theme';

type Row = SweepResult['sweep'][number];
type Stat = { mean: number | null; sd: number | null };
type SortKey = 'point' | 'runs' | 'validation' | 'test' | 'gain' | 'score';

const metricName = (r: SweepResult) => (r.metric === 'mse' ? 'MSE' : 'accuracy');
const selectName = (s: SweepResult['select']) => (s === 'mse' ? 'MSE' : s);
const num = (x: number | null, digits = 3) => (x === null ? '—' : x.toFixed(digits));
const meanSd = (s: Stat) => (s.mean === null ? '—' : `${num(s.mean)} ± ${num(s.sd)}`);
const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(3)}`;
const gain = (g: Row['improvement']) => (!g || g.mean === null ? '—' : g.ci95 ? `${signed(g.mean)} [${signed(g.ci95[0])}, ${signed(g.ci95[1])}]` : signed(g.mean));

const COLUMNS: { key: SortKey | null; title: (metric: string) => string; numeric?: boolean; value?: (r: Row, i: number) => number }[] = [
  { key: 'point', title: () => 'Point', value: (_r, i) => i },
  { key: 'runs', title: () => 'Runs', numeric: true, value: (r) => r.runs },
  { key: 'validation', title: (m) => `Validation ${m}`, numeric: true, value: (r) => r.validation.mean ?? NaN },
  { key: 'test', title: (m) => `Test ${m}`, numeric: true, value: (r) => r.test.mean ?? NaN },
  { key: 'gain', title: () => 'Test gain vs control (95% CI)', numeric: true, value: (r) => r.improvement?.mean ?? NaN },
  { key: 'score', title: () => 'Val loss', numeric: true, value: (r) => r.validationLoss ?? NaN },
  { key: null, title: () => '' },
];

/** A caption swatch with words for what it shows: screen readers get the mark's meaning, not a hidden picture. */
function keyed(swatch: SVGElement, meaning: string): HTMLElement {
  const key = document.createElement('span');
  key.className = 'sweep-key';
  key.setAttribute('role', 'img');
  key.setAttribute('aria-label', meaning);
  key.append(swatch);
  return key;
}

export class SweepPanel {
  readonly el: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly caption: HTMLElement;
  private readonly verdict: HTMLElement;
  private readonly note: HTMLElement;
  private readonly table: HTMLTableElement;
  private readonly applyBest = new ApplyBest();
  /** Sweeps of 2 or more paths: the parallel-coordinates chart (its brushes filter the table) and the importance bar. */
  private readonly parallel: ParallelCoords;
  private readonly importance: ImportanceBar;
  private result: SweepResult | null = null;
  private sort: { key: SortKey; dir: 1 | -1 } = { key: 'point', dir: 1 };
  private drawn: DrawnSweep | null = null;
  /** The colours the chart was drawn in, for the PNG's key. */
  private colours: SweepColours | null = null;

  constructor(parent: HTMLElement) {
    const el = (tag: string, cls: string, text = '') => Object.assign(document.createElement(tag), { className: cls, textContent: text });
    this.el = el('section', 'sweep');
    this.el.id = 'sweep';
    this.el.hidden = true;
    const head = el('div', 'section-head');
    head.append(el('h2', '', 'How much noise? Sweep'), this.applyBest.button);
    this.caption = el('p', 'sweep-caption');
    this.verdict = el('p', 'sweep-verdict');
    this.verdict.id = 'sweep-verdict';
    this.canvas = el('canvas', 'sweep-chart') as HTMLCanvasElement;
    this.canvas.id = 'sweep-chart';
    this.canvas.setAttribute('role', 'img');
    this.note = el('p', 'sweep-note');
    this.note.id = 'sweep-disagree';
    this.table = el('table', 'sweep-table') as HTMLTableElement;
    this.table.id = 'sweep-table';
    const several = el('div', 'sweep-several');
    this.parallel = new ParallelCoords(several, () => this.result && this.renderTable(this.result, metricName(this.result)));
    this.importance = new ImportanceBar(several);
    const scroll = el('div', 'history');
    scroll.append(this.table);
    this.el.append(head, this.applyBest.confirm, this.caption, this.verdict, this.canvas, several, this.note, scroll);
    parent.append(this.el);
  }

  set(result: SweepResult | null): void {
    this.result = result;
    // Every race view shown, in order (a race is posted after each round): tests read it through the probe.
    if (result?.race && this.races.length < 100) this.races.push({ ended: result.race.ended, dropped: result.sweep.filter((p) => p.dropped).length, survivors: result.race.survivors.length });
    this.el.hidden = !result;
    this.applyBest.set(result?.best ?? null);
    this.parallel.set(result);
    this.importance.set(result);
  }

  readonly races: { ended: string | null; dropped: number; survivors: number }[] = [];

  get rows(): number {
    return this.result?.sweep.length ?? 0;
  }

  render(theme: Theme): void {
    const r = this.result;
    if (!r) return;
    const metric = metricName(r);
    const colours = sweepColours(theme);
    this.caption.replaceChildren(
      `Test ${metric} `,
      keyed(markSwatch(colours.test, 'test'), `the test ${metric} mark: a dot with its ± sd bar`),
      ` and validation ${metric} `,
      keyed(markSwatch(colours.validation, 'validation'), `the validation ${metric} mark: a dot with its ± sd bar`),
      `, mean ± sd over seeds; the band `,
      keyed(bandSwatch(colours.control), 'a tinted strip with a dashed line at its mean'),
      ` is the clean control's test ${metric}. Best (ringed): ${r.best ? `${formatPoint(r.best.point)}, chosen by validation ${selectName(r.select)}: ${r.best.criterion}` : 'none, every point stopped early'}.`,
    );
    this.renderVerdict(r);
    const other = r.bestByOther;
    this.note.hidden = !other;
    this.note.textContent = other
      ? `By validation ${other.select} the best is ${formatPoint(other.point)} (${other.select === 'loss' ? `validation loss ${num(other.validationLoss, 4)}` : `validation accuracy ${meanSd(other.validation)}`}): the criteria disagree. Cross-entropy rewards hedged predictions, so a heavily noised model can win on loss while losing on accuracy.`
      : '';
    this.drawn = drawSweep(this.canvas, r, theme, metric);
    this.colours = colours;
    if (this.drawn.axis.kind === 'log') this.caption.append(' Log x axis; 0 (no noise) is drawn a decade below the smallest value.');
    this.canvas.setAttribute('aria-label', `${metric} against ${r.paths.join(', ')}`);
    this.parallel.render(theme);
    this.importance.render(theme);
    this.renderTable(r, metric);
  }

  /** The best point against the control, in the CLI's words; marked as a warning when it does not beat it. */
  private renderVerdict(r: SweepResult): void {
    const b = r.best;
    // A racing sweep says first how its race ended (decided, or which points it could not tell apart).
    const lines = [r.race?.sentence, b?.versusControl, b?.testVerdict && `on test (which reports and never chooses): ${b.testVerdict}`].filter((x): x is string => !!x);
    this.verdict.hidden = lines.length === 0;
    this.verdict.textContent = lines.map((l) => `${l.charAt(0).toUpperCase()}${l.slice(1)}.`).join(' ');
    this.verdict.classList.toggle('warning', b?.beatsControl === false);
  }

  private renderTable(r: SweepResult, metric: string): void {
    const head = this.table.createTHead();
    head.replaceChildren();
    const hr = head.insertRow();
    for (const c of COLUMNS) {
      const th = document.createElement('th');
      if (c.numeric) th.className = 'num';
      if (c.key) {
        const key = c.key;
        const active = this.sort.key === key;
        th.setAttribute('aria-sort', active ? (this.sort.dir === 1 ? 'ascending' : 'descending') : 'none');
        const b = Object.assign(document.createElement('button'), { className: 'sort', textContent: c.title(metric) + (active ? (this.sort.dir === 1 ? ' ▲' : ' ▼') : '') });
        b.dataset.sort = key;
        b.addEventListener('click', () => {
          this.sort = { key, dir: active ? ((-this.sort.dir) as 1 | -1) : 1 };
          this.renderTable(r, metric);
        });
        th.append(b);
      }
      hr.append(th);
    }
    const body = this.table.tBodies[0] ?? this.table.createTBody();
    body.replaceChildren();
    if (r.control) this.row(body, 'control (clean)', r.control.runs, r.control.validation, r.control.test, '', num(r.control.validationLoss, 4), '').classList.add('control');
    const value = COLUMNS.find((c) => c.key === this.sort.key)!.value!;
    const order = r.sweep.map((p, i) => ({ p, i, v: value(p, i) }));
    // Missing values sort last either way.
    order.sort((a, b) => (Number.isNaN(a.v) ? 1 : Number.isNaN(b.v) ? -1 : (a.v - b.v) * this.sort.dir));
    // A race not over yet: its survivors are said to be still in it.
    const racing = r.race && r.race.ended === null ? new Set(r.race.survivors.map((s) => (s && typeof s === 'object' ? formatPoint(s) : ''))) : undefined;
    // A pruned race's points pruned at a rung of its first round, with the rung's why (its epoch, their metric, the threshold).
    const prunedWhy = new Map((r.race?.pruned ?? []).map((q) => [q.point && typeof q.point === 'object' ? formatPoint(q.point) : '', q.why]));
    for (const { p, i } of order) {
      if (!this.parallel.keeps(i)) continue;
      const name = formatPoint(p.point);
      const inRace = racing?.has(name) && `in the race after round ${r.race!.rounds}`;
      const why = prunedWhy.get(name);
      // The why replaces the plain "pruned in 3 of 3 seeds at epoch 111" (and "no finished runs"), which say less.
      const note = !why ? pointNote(p) : p.best || p.stoppedEarly ? pointNote({ ...p, pruned: undefined }) : '';
      const tr = this.row(body, name, p.runs, p.validation, p.test, gain(p.improvement), num(p.validationLoss, 4), [note, p.dropped?.note, why, inRace].filter(Boolean).join('; '));
      tr.classList.toggle('best', !!p.best);
      // A point dropped from a race, or pruned out of it, is shown greyed as a stopped one, with its round and p or its rung.
      tr.classList.toggle('stopped', !!p.stoppedEarly || !!p.dropped || !!why);
    }
  }

  private row(body: HTMLTableSectionElement, point: string, runs: number, validation: Stat, test: Stat, gainText: string, score: string, note: string): HTMLTableRowElement {
    const tr = body.insertRow();
    const metric = this.result ? metricName(this.result) : 'accuracy';
    [point, String(runs), meanSd(validation), meanSd(test), gainText, score, note].forEach((text, i) => {
      const td = tr.insertCell();
      td.textContent = text;
      if (COLUMNS[i].numeric) td.className = 'num';
      // A narrow panel shows each row as a card (styles.css): the point names it, the figures say what they are.
      if (i === 0) td.classList.add('card-title');
      else if (COLUMNS[i].key) td.dataset.label = COLUMNS[i].title(metric);
    });
    return tr;
  }

  /** The drawn chart as a wide row of the PNG export, titled with what it plots and keyed in its colours; null when no sweep is shown. */
  imagePart(): ImagePart | null {
    const r = this.result;
    const c = this.colours;
    if (!r || !this.drawn || !c || this.el.hidden) return null;
    const metric = metricName(r);
    const key = [
      { text: `test ${metric}`, colour: c.test, dashed: false },
      { text: `validation ${metric}`, colour: c.validation, dashed: false },
      { text: `band: the clean control's test ${metric}`, colour: c.control, dashed: true },
    ];
    return { title: `Sweep: test and validation ${metric} against ${r.paths.join(', ')}, mean ± sd over seeds`, canvas: this.canvas, wide: true, key };
  }

  /** Every drawn sweep view as rows of the PNG export: the chart, then (2 or more paths) the parallel coordinates and the importance bar. */
  imageParts(): ImagePart[] {
    const chart = this.imagePart();
    if (!chart) return [];
    const r = this.result!;
    const several: ImagePart[] = this.parallel.el.hidden
      ? []
      : [
          { title: `Parallel coordinates: a line per point, coloured by validation ${selectName(r.select)}`, canvas: this.parallel.canvas, wide: true },
          { title: this.importance.caption.textContent ?? '', canvas: this.importance.canvas, wide: true },
        ];
    return [chart, ...several];
  }

  /** What is drawn, for tests: the axis and each point's test mean in canvas pixels. */
  snapshot() {
    return this.result && this.drawn ? { ...this.drawn, parallel: this.parallel.snapshot(), importance: this.importance.snapshot(), rows: [...this.table.tBodies[0].rows].map((tr) => [...tr.cells].map((c) => c.textContent ?? '')) } : null;
  }
}
