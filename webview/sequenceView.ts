// The sequence panel (sequence inputs only): a seed's few test windows, each a small chart with
// its truth and what the seed's control and noisy model predict for it (their clean predictions,
// once each run has ended), and a preview of the tweak panel's input noise on the first window,
// clean and corrupted, redrawn while the std slider moves. Runs are picked as for the image strip
// (seedRuns.ts). Each chart is a focusable figure whose label says in words what it draws.
import type { SequenceSamples } from '../src/protocol/trainer';
import { describeCorruption, type Corruption } from './imageNoise';
import { CHART_H, CHART_W, drawPreview, drawSequence, MAX_BANDS, type Marks, type Prediction } from './sequenceChart';
import { corruptWindow } from './sequenceNoise';
import { pickSampleRun, seedPair } from './seedRuns';
import type { RunSelection } from './selection';
import type { RunData, Store } from './state';
import { parseColor, type Theme } from './theme';
import type { VariantColours } from './variantColours';

type Shown = { runId: string; variant: string; label: string; colour: string };
type Probe = {
  runId: string;
  predictedBy: { runId: string; variant: string; label: string }[];
  charts: { label: string; ink: Record<string, number> }[];
  preview?: { note: string; clean: number[]; corrupted: number[] };
};

const fmt = (v: number | null) => (typeof v === 'number' && Number.isFinite(v) ? String(Number(v.toPrecision(4))) : 'none');
const argmax = (p: number[]) => p.indexOf(Math.max(...p));

export class SequencePanel {
  readonly section: HTMLElement;
  private readonly note: HTMLElement;
  private readonly key: HTMLElement;
  private readonly grid: HTMLElement;
  private readonly preview: HTMLElement;
  private readonly live = new Map<string, SequenceSamples>();
  private drawnKey = '';
  private shown: { runId: string; pair: Shown[]; colours: Record<string, string>; preview?: Probe['preview'] } | null = null;

  constructor(
    private readonly store: Store,
    private readonly selection: RunSelection,
    private readonly colours: VariantColours,
  ) {
    this.section = document.createElement('section');
    this.section.className = 'sequences';
    this.section.id = 'sequences';
    this.section.setAttribute('aria-labelledby', 'sequences-title');
    const head = document.createElement('div');
    head.className = 'section-head';
    const title = document.createElement('h2');
    title.id = 'sequences-title';
    title.textContent = 'Test sequences: truth and predictions';
    this.note = document.createElement('span');
    this.note.className = 'strip-note';
    head.append(title, this.note);
    this.key = document.createElement('div');
    this.key.className = 'sequence-key';
    this.grid = document.createElement('div');
    this.grid.className = 'sequence-grid';
    this.preview = document.createElement('div');
    this.preview.className = 'sequence-grid';
    this.section.append(head, this.key, this.grid, this.preview);
    this.section.hidden = true;
  }

  /** A live run's windows (finished runs carry theirs in the summary). */
  setLive(runId: string, sequences: SequenceSamples): void {
    this.live.set(runId, sequences);
  }

  samplesOf(run: RunData): SequenceSamples | undefined {
    return this.live.get(run.info.runId) ?? run.info.summary?.sequences;
  }

  render(corruption: Corruption | null, theme: Theme, themeVersion: number): void {
    const run = pickSampleRun(this.store, this.selection, (r) => Boolean(this.samplesOf(r)));
    const samples = run && this.samplesOf(run);
    this.section.hidden = !samples;
    if (!run || !samples) {
      this.shown = null;
      this.drawnKey = '';
      return;
    }
    const pair = seedPair(this.store, run, (r) => Boolean(r.info.summary?.sequencePredictions));
    const shownPair: Shown[] = pair.map((r) => ({ runId: r.info.runId, variant: r.info.variant, label: r.info.variant === 'control' ? 'control' : r.info.label, colour: this.colours.of(r) }));
    const key = JSON.stringify([run.info.runId, corruption, shownPair, themeVersion]);
    if (key === this.drawnKey) return;
    this.drawnKey = key;
    const classes = run.info.task === 'classification';
    const noisy = pair.find((r) => r.info.variant === 'noise');
    const previewColour = noisy ? this.colours.of(noisy) : theme.palette[1];
    const colours = { truth: theme.fg, ...Object.fromEntries(shownPair.map((p) => [p.variant, p.colour])) };
    this.shown = { runId: run.info.runId, pair: shownPair, colours };
    const names = (c: number) => samples.classNames?.[c] ?? String(c);
    this.note.textContent = `seed ${run.info.seed}: ${shownPair.length ? `truth and the clean predictions of ${shownPair.map((p) => p.label).join(' and ')}` : 'truth; predictions once the runs end'}`;
    this.key.replaceChildren(...[{ label: classes ? 'true class' : 'truth', colour: theme.fg }, ...shownPair].map((p) => swatch(p.label, p.colour)));

    const figures = samples.windows.map((values, k) => {
      const predictions: Prediction[] = pair.map((r, i) => ({ key: r.info.variant as Prediction['key'], colour: shownPair[i].colour, output: r.info.summary!.sequencePredictions!.outputs[k] ?? [] }));
      const said = predictions.map((p, i) => {
        if (!classes || !p.output.every((v) => Number.isFinite(v))) return `${shownPair[i].label} ${classes ? 'none' : fmt(p.output[0])}`;
        const c = argmax(p.output);
        return `${shownPair[i].label} ${names(c)} (p ${fmt(p.output[c])})${c === samples.truth[k] ? '' : ' ✗'}`;
      });
      const truth = classes ? `class ${names(samples.truth[k])}` : `truth ${fmt(samples.truth[k])}`;
      const caption = [truth, ...said].join(' · ');
      const what = samples.targetFeature !== undefined ? `; the value ${samples.horizon ?? 1} step${(samples.horizon ?? 1) === 1 ? '' : 's'} later` : classes ? '' : `; ${samples.target ?? 'target'}`;
      const drawn = samples.shape[1] > MAX_BANDS ? ` (the first ${MAX_BANDS} drawn)` : '';
      const label = `Test sequence ${k + 1} of ${samples.windows.length}, ${samples.shape[0]} steps of ${samples.features.join(' and ')}${drawn}${what}: ${caption}`;
      const figure = chartFigure(label, caption);
      // A diverged run's predictions are not numbers (null in summary.json): said as "none", not drawn.
      const drawable = predictions.filter((p) => p.output.length > 0 && p.output.every((v) => Number.isFinite(v)));
      const marks = drawSequence(figure.canvas, samples, values, samples.truth[k], drawable, classes, theme);
      figure.canvas.dataset.marks = JSON.stringify(marks satisfies Marks);
      return figure.el;
    });
    this.grid.replaceChildren(...figures);

    const corrupted = corruptWindow(samples, 0, corruption);
    const noise = describeCorruption(corruption);
    const note = `sequence 1 clean and with ${noise}${corruption ? ' (one draw; training draws afresh every batch)' : ''}`;
    const figure = chartFigure(`Input noise preview: test ${note}`, `preview: ${note}`);
    figure.el.classList.add('sequence-preview');
    drawPreview(figure.canvas, samples, samples.windows[0], corrupted, previewColour, theme);
    this.preview.replaceChildren(figure.el);
    this.shown.preview = { note, clean: samples.windows[0], corrupted: Array.from(corrupted) };
  }

  /** The run shown, the runs whose predictions are drawn, each chart's label and how many pixels each mark's colour covers, and the preview's values. */
  probe(): Probe | undefined {
    if (this.section.hidden || !this.shown) return undefined;
    const { runId, pair, colours, preview } = this.shown;
    const charts = [...this.grid.querySelectorAll('figure')].map((f) => ({ label: f.getAttribute('aria-label') ?? '', ink: ink(f.querySelector('canvas')!, colours) }));
    return { runId, predictedBy: pair.map(({ runId: id, variant, label }) => ({ runId: id, variant, label })), charts, ...(preview && { preview }) };
  }
}

function chartFigure(label: string, caption: string): { el: HTMLElement; canvas: HTMLCanvasElement } {
  const el = document.createElement('figure');
  el.className = 'sequence';
  el.tabIndex = 0;
  el.setAttribute('aria-label', label);
  const canvas = document.createElement('canvas');
  canvas.width = CHART_W;
  canvas.height = CHART_H;
  canvas.setAttribute('aria-hidden', 'true');
  const text = document.createElement('figcaption');
  text.textContent = caption;
  el.append(canvas, text);
  return { el, canvas };
}

function swatch(label: string, colour: string): HTMLElement {
  const item = document.createElement('span');
  const dot = document.createElement('span');
  dot.className = 'swatch';
  dot.style.background = colour;
  item.append(dot, label);
  return item;
}

/** Pixels of the canvas within a small distance of each colour (the marks' centres are drawn in it exactly). */
function ink(canvas: HTMLCanvasElement, colours: Record<string, string>): Record<string, number> {
  const ctx = canvas.getContext('2d');
  const counts = Object.fromEntries(Object.keys(colours).map((k) => [k, 0]));
  if (!ctx || !canvas.width) return counts;
  const rgb = Object.entries(colours).map(([k, c]) => [k, parseColor(c)] as const);
  const d = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  for (let i = 0; i < d.length; i += 4) {
    for (const [k, [r, g, b]] of rgb) if (Math.abs(d[i] - r) + Math.abs(d[i + 1] - g) + Math.abs(d[i + 2] - b) < 12) counts[k]++;
  }
  return counts;
}
