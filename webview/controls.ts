// Tweak and rerun: per noise site, its std (number field + log slider) and schedule (type and
// its parameters), prefilled from the file, with a live preview of the schedule curve. Every
// number is checked here before anything is posted (the host checks again): a negative std,
// NaN, text or an out-of-range parameter disables Run again / Save to file and says why.
import type { Experiment, NoiseSpec, Schedule } from '../src/spec/schema';
import { describeSchedule, scheduleCurve } from '../src/spec/schedules';
import { post } from './api';
import type { Theme } from './theme';
import { button, checkbox, dropdown, setInvalid, textField, type ButtonEl } from './toolkit';

type SiteKind = 'input' | 'activations' | 'weights' | 'gradients' | 'labels';
const PARAMS = ['gamma', 'decay', 'factor', 'every', 'end', 'steps'] as const;
type Param = (typeof PARAMS)[number];
const SCHEDULE_TYPES = ['constant', 'linear', 'exponential', 'step', 'cosine', 'annealed'] as const;
const PARAMS_OF: Record<Schedule['type'], Param[]> = {
  constant: [],
  linear: ['end', 'steps'],
  exponential: ['decay'],
  step: ['factor', 'every'],
  cosine: ['end', 'steps'],
  annealed: ['gamma'],
};
const PARAM_DEFAULT: Record<Param, string> = { gamma: '0.55', decay: '0.999', factor: '0.5', every: '1000', end: '0', steps: '' };
const PARAM_HELP: Record<Param, string> = {
  gamma: 'γ: variance decays as 1/(1+t)^γ (0–2)',
  decay: 'factor per t (0 < decay ≤ 1)',
  factor: 'factor every `every` t (≥ 0)',
  every: 't between changes (integer ≥ 1)',
  end: 'std reached at the end (≥ 0)',
  steps: 't the change takes (integer ≥ 1; empty: whole run)',
};

export interface SiteTweak {
  kind: SiteKind;
  /** activations: index in the file's list. */
  index: number;
  enabled: boolean;
  std: string;
  type: Schedule['type'];
  per: Schedule['per'];
  params: Record<Param, string>;
  /** Fields the panel does not edit (layer, position, kind, every), kept as in the file. */
  extra: Record<string, unknown>;
}

export interface TweakState {
  /** The file's noise the tweak started from: a saved tweak is only restored onto the same file noise. */
  base: string;
  sites: SiteTweak[];
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A strict number: no NaN, no Infinity, no trailing text, no empty string. */
export function parseNumber(text: string): number | null {
  const t = text.trim();
  if (!NUMBER.test(t)) return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : null;
}

const isRegression = (spec: Experiment) => spec.data.task === 'regression' || spec.data.source === 'sine';

const siteLabel = (s: SiteTweak, spec: Experiment | null): string => {
  if (s.kind === 'activations') return `layer ${Number(s.extra.layer ?? 0)} activations`;
  if (s.kind === 'labels') return spec && isRegression(spec) ? 'targets' : 'labels';
  return s.kind;
};

/** The amount field of a site: std, or the flip probability of class labels. */
const amountKey = (s: SiteTweak, spec: Experiment | null): 'std' | 'flipProbability' => (s.kind === 'labels' && !(spec && isRegression(spec)) ? 'flipProbability' : 'std');
const amountMax = (s: SiteTweak, spec: Experiment | null): number => (amountKey(s, spec) === 'flipProbability' ? 0.5 : 10);

function fromSchedule(s: Schedule | undefined, fallback: Schedule['type']): Pick<SiteTweak, 'type' | 'per' | 'params'> {
  const params = { ...PARAM_DEFAULT };
  for (const p of PARAMS) if (s?.[p] !== undefined) params[p] = String(s[p]);
  return { type: s?.type ?? fallback, per: s?.per ?? 'step', params };
}

/** The panel's sites for a file's noise: every site there, plus the absent ones switched off. */
export function tweakFromNoise(noise: NoiseSpec, spec: Experiment | null): SiteTweak[] {
  const sites: SiteTweak[] = [];
  const site = (kind: SiteKind, index: number, n: { std?: number; flipProbability?: number; schedule?: Schedule } | undefined, extra: Record<string, unknown>, defStd: number, defType: Schedule['type'] = 'constant'): SiteTweak => ({
    kind,
    index,
    enabled: n !== undefined,
    std: String(n?.flipProbability ?? n?.std ?? defStd),
    ...fromSchedule(n?.schedule, defType),
    extra,
  });
  sites.push(site('input', 0, noise.input, {}, 0.1));
  const acts = noise.activations ?? [];
  if (acts.length) acts.forEach((a, i) => sites.push(site('activations', i, a, { layer: a.layer, position: a.position, kind: a.kind }, 0.1)));
  else sites.push(site('activations', 0, undefined, { layer: 0, position: 'afterActivation', kind: 'additive' }, 0.1));
  sites.push(site('weights', 0, noise.weights, { every: noise.weights?.every ?? 'batch' }, 0.01));
  sites.push(site('gradients', 0, noise.gradients, {}, 0.1, 'annealed'));
  const regression = spec ? isRegression(spec) : false;
  sites.push(site('labels', 0, noise.labels, {}, regression ? 0.1 : 0.05));
  return sites;
}

export interface Built {
  noise: NoiseSpec;
  /** Field id → message, for every refused value. */
  errors: Map<string, string>;
}

export const fieldId = (s: SiteTweak, field: string) => `${s.kind}-${s.index}-${field}`;

function buildSchedule(s: SiteTweak, errors: Map<string, string>): Schedule {
  const schedule: Record<string, unknown> = { type: s.type, per: s.per };
  for (const p of PARAMS_OF[s.type]) {
    const text = s.params[p].trim();
    if (p === 'steps' && text === '') continue;
    const v = parseNumber(text);
    const bad = (msg: string) => errors.set(fieldId(s, p), `${p}: ${msg}`);
    if (v === null) bad('not a number');
    else if (p === 'gamma' && (v < 0 || v > 2)) bad('must be between 0 and 2');
    else if (p === 'decay' && (v <= 0 || v > 1)) bad('must be > 0 and ≤ 1');
    else if ((p === 'factor' || p === 'end') && v < 0) bad('must be ≥ 0');
    else if ((p === 'every' || p === 'steps') && (!Number.isInteger(v) || v < 1)) bad('must be a whole number ≥ 1');
    else if (v > 1e9) bad('too large');
    else schedule[p] = v;
  }
  return schedule as Schedule;
}

/** The noise object the tweak describes (only enabled sites), and what is wrong with it. */
export function buildNoise(sites: SiteTweak[], spec: Experiment | null): Built {
  const errors = new Map<string, string>();
  const noise: NoiseSpec = {};
  for (const s of sites) {
    if (!s.enabled) continue;
    const amount = parseNumber(s.std);
    const max = amountMax(s, spec);
    if (amount === null) errors.set(fieldId(s, 'std'), `${siteLabel(s, spec)}: ${amountKey(s, spec) === 'std' ? 'std' : 'flip probability'} is not a number`);
    else if (amount < 0) errors.set(fieldId(s, 'std'), `${siteLabel(s, spec)}: must be ≥ 0`);
    else if (amount > max) errors.set(fieldId(s, 'std'), `${siteLabel(s, spec)}: must be ≤ ${max}`);
    const v = amount ?? 0;
    const schedule = buildSchedule(s, errors);
    switch (s.kind) {
      case 'input':
        noise.input = { std: v, schedule };
        break;
      case 'activations':
        (noise.activations ??= []).push({ layer: Number(s.extra.layer ?? 0), std: v, position: (s.extra.position as 'beforeActivation' | 'afterActivation') ?? 'afterActivation', kind: (s.extra.kind as 'additive' | 'multiplicative') ?? 'additive', schedule });
        break;
      case 'weights':
        noise.weights = { std: v, every: (s.extra.every as 'batch' | 'epoch') ?? 'batch', schedule };
        break;
      case 'gradients':
        noise.gradients = { std: v, schedule };
        break;
      case 'labels':
        noise.labels = amountKey(s, spec) === 'std' ? { std: v, schedule } : { flipProbability: v, schedule };
        break;
    }
  }
  return { noise, errors };
}

const siteText = (s: SiteTweak, spec: Experiment | null): string => {
  const name = siteLabel(s, spec);
  if (!s.enabled) return `${name} off`;
  const amount = parseNumber(s.std) ?? 0;
  const schedule = buildSchedule(s, new Map());
  if (amountKey(s, spec) === 'flipProbability') return `${name} flip ${amount}${schedule.type === 'constant' ? '' : `, ${schedule.type}`}`;
  return `${name} ${describeSchedule(amount, schedule)}`;
};

/** What differs from the file, e.g. "input std 0.05, cosine → 0"; "as in the file" when nothing does. */
export function changeLabel(sites: SiteTweak[], fileSites: SiteTweak[], spec: Experiment | null): string {
  const parts: string[] = [];
  for (const s of sites) {
    const f = fileSites.find((x) => x.kind === s.kind && x.index === s.index);
    const one = (x: SiteTweak) => JSON.stringify(buildNoise([x], spec).noise);
    if (f && f.enabled === s.enabled && (!s.enabled || one(f) === one(s))) continue;
    parts.push(siteText(s, spec));
  }
  const label = parts.join('; ') || 'as in the file';
  return label.length > 200 ? `${label.slice(0, 199)}…` : label;
}

/** Total t of a run, in the schedule's unit, for the preview. */
function totalT(spec: Experiment | null, per: Schedule['per']): number {
  const epochs = spec?.training.epochs ?? 100;
  if (per === 'epoch') return epochs;
  const split = spec?.data.split.train ?? 0.7;
  const samples = spec?.data.samples ?? 100;
  const nTrain = split >= 1 ? split : Math.max(1, Math.round(split * samples));
  return epochs * Math.max(1, Math.ceil(nTrain / (spec?.training.batchSize ?? 32)));
}

const LOG_MIN = -4;

export class TweakPanel {
  readonly el: HTMLElement;
  private spec: Experiment | null = null;
  private fileSites: SiteTweak[] = [];
  private sites: SiteTweak[] = [];
  private base = '';
  private readonly body: HTMLElement;
  private readonly errorsEl: HTMLElement;
  private readonly labelEl: HTMLElement;
  private readonly runBtn: ButtonEl;
  private readonly saveBtn: ButtonEl;
  private readonly resetBtn: ButtonEl;
  private readonly stopBtn: ButtonEl;
  private readonly previews = new Map<string, HTMLCanvasElement>();
  private built: Built = { noise: {}, errors: new Map() };

  constructor(
    parent: HTMLElement,
    private readonly theme: () => Theme,
    private readonly onChange: () => void,
  ) {
    this.el = document.createElement('section');
    this.el.className = 'tweak';
    this.el.setAttribute('aria-label', 'Tweak and rerun');
    this.body = document.createElement('div');
    this.body.className = 'sites';
    const actions = document.createElement('div');
    actions.className = 'actions';
    this.runBtn = button('Run again', () => this.runAgain(), { id: 'run-again', title: 'Train the experiment with this noise, without changing the file' });
    this.saveBtn = button('Save to file', () => this.save(), { id: 'save-to-file', secondary: true, title: 'Write this noise into the experiment file' });
    this.resetBtn = button('Reset to file', () => this.reset(), { id: 'reset-tweak', secondary: true });
    this.stopBtn = button('Stop', () => post({ type: 'stop' }), { id: 'stop', secondary: true, title: 'Stop the running experiment (finished epochs are kept)' });
    this.stopBtn.disabled = true;
    this.labelEl = document.createElement('span');
    this.labelEl.className = 'change-label';
    this.labelEl.id = 'change-label';
    actions.append(this.runBtn, this.saveBtn, this.resetBtn, this.stopBtn, this.labelEl);
    this.errorsEl = document.createElement('ul');
    this.errorsEl.className = 'errors';
    this.errorsEl.id = 'tweak-errors';
    this.errorsEl.setAttribute('role', 'alert');
    this.el.append(this.body, actions, this.errorsEl);
    parent.append(this.el);
  }

  /** The file's experiment (or its new version); a tweak in progress is kept unless it was untouched. */
  setSpec(spec: Experiment | null, saved?: unknown): void {
    const pristine = JSON.stringify(this.sites) === JSON.stringify(this.fileSites);
    this.spec = spec;
    this.base = JSON.stringify(spec?.noise ?? {});
    this.fileSites = tweakFromNoise(spec?.noise ?? {}, spec);
    const s = saved as TweakState | undefined;
    if (s && s.base === this.base && Array.isArray(s.sites) && s.sites.length === this.fileSites.length) this.sites = structuredClone(s.sites);
    else if (pristine || this.sites.length === 0 || this.sites.length !== this.fileSites.length) this.sites = structuredClone(this.fileSites);
    this.render();
  }

  setBusy(busy: boolean): void {
    this.stopBtn.disabled = !busy;
  }

  state(): TweakState {
    return { base: this.base, sites: this.sites };
  }

  private reset(): void {
    this.sites = structuredClone(this.fileSites);
    this.render();
    this.onChange();
  }

  private runAgain(): void {
    this.validate();
    if (this.built.errors.size || !this.spec) return;
    post({ type: 'runAgain', noise: this.built.noise, label: changeLabel(this.sites, this.fileSites, this.spec) });
  }

  private save(): void {
    this.validate();
    if (this.built.errors.size || !this.spec) return;
    post({ type: 'saveToFile', noise: this.built.noise });
  }

  private render(): void {
    this.previews.clear();
    this.body.replaceChildren(...this.sites.map((s) => this.renderSite(s)));
    this.validate();
  }

  private renderSite(s: SiteTweak): HTMLElement {
    const box = document.createElement('fieldset');
    box.className = 'site';
    box.dataset.site = `${s.kind}-${s.index}`;
    box.classList.toggle('off', !s.enabled);
    const legend = document.createElement('legend');
    const detail = s.kind === 'activations' ? ` (${String(s.extra.position)}, ${String(s.extra.kind)})` : s.kind === 'weights' ? ` (per ${String(s.extra.every)})` : '';
    legend.append(
      checkbox(siteLabel(s, this.spec) + detail, s.enabled, (on) => {
        s.enabled = on;
        box.classList.toggle('off', !on);
        this.changed();
      }, { id: fieldId(s, 'enabled') }),
    );
    const amountRow = document.createElement('div');
    amountRow.className = 'row';
    const amountLabel = document.createElement('label');
    amountLabel.textContent = amountKey(s, this.spec) === 'std' ? 'std' : 'flip p';
    const max = amountMax(s, this.spec);
    const slider = document.createElement('input');
    slider.type = 'range';
    slider.min = String(LOG_MIN);
    slider.max = String(Math.log10(max));
    slider.step = '0.01';
    slider.id = fieldId(s, 'slider');
    slider.setAttribute('aria-label', `${siteLabel(s, this.spec)} ${amountLabel.textContent} (log scale)`);
    const syncSlider = () => {
      const v = parseNumber(s.std);
      if (v !== null && v > 0) slider.value = String(Math.max(LOG_MIN, Math.min(Math.log10(max), Math.log10(v))));
      else if (v === 0) slider.value = String(LOG_MIN);
    };
    const field = textField(
      s.std,
      (text) => {
        s.std = text;
        syncSlider();
        this.changed();
      },
      { id: fieldId(s, 'std'), size: 8, ariaLabel: `${siteLabel(s, this.spec)} ${amountLabel.textContent}` },
    );
    syncSlider();
    slider.addEventListener('input', () => {
      const v = 10 ** Number(slider.value);
      s.std = String(Number(v.toPrecision(2)));
      field.value = s.std;
      this.changed();
    });
    amountRow.append(amountLabel, field, slider);

    const schedRow = document.createElement('div');
    schedRow.className = 'row';
    const schedLabel = document.createElement('label');
    schedLabel.textContent = 'schedule';
    const params = document.createElement('span');
    params.className = 'params';
    const renderParams = () => {
      params.replaceChildren(
        ...PARAMS_OF[s.type].map((p) => {
          const wrap = document.createElement('label');
          wrap.className = 'param';
          wrap.textContent = p;
          wrap.title = PARAM_HELP[p];
          wrap.append(
            textField(
              s.params[p],
              (text) => {
                s.params[p] = text;
                this.changed();
              },
              { id: fieldId(s, p), size: 6, placeholder: p === 'steps' ? 'all' : '', ariaLabel: `${siteLabel(s, this.spec)} schedule ${p}` },
            ),
          );
          return wrap;
        }),
      );
    };
    const type = dropdown(
      SCHEDULE_TYPES.map((t) => ({ value: t, label: t })),
      s.type,
      (v) => {
        s.type = v as Schedule['type'];
        renderParams();
        this.changed();
      },
      { id: fieldId(s, 'type'), ariaLabel: `${siteLabel(s, this.spec)} schedule type` },
    );
    const per = dropdown(
      [
        { value: 'step', label: 'per step' },
        { value: 'epoch', label: 'per epoch' },
      ],
      s.per,
      (v) => {
        s.per = v as Schedule['per'];
        this.changed();
      },
      { id: fieldId(s, 'per'), ariaLabel: `${siteLabel(s, this.spec)} schedule unit` },
    );
    renderParams();
    schedRow.append(schedLabel, type, per, params);

    const preview = document.createElement('canvas');
    preview.className = 'preview';
    preview.id = fieldId(s, 'preview');
    preview.setAttribute('role', 'img');
    this.previews.set(fieldId(s, 'preview'), preview);
    box.append(legend, amountRow, schedRow, preview);
    return box;
  }

  private changed(): void {
    this.validate();
    this.onChange();
  }

  /** Checks every field, marks the bad ones, redraws the previews, enables or disables the buttons. */
  validate(): void {
    this.built = buildNoise(this.sites, this.spec);
    const errors = this.built.errors;
    for (const s of this.sites) {
      for (const f of ['std', ...PARAMS]) {
        const el = document.getElementById(fieldId(s, f));
        if (el) setInvalid(el, errors.get(fieldId(s, f)) ?? null);
      }
    }
    this.errorsEl.replaceChildren(
      ...[...errors.values()].map((m) => {
        const li = document.createElement('li');
        li.textContent = m;
        return li;
      }),
    );
    const ok = errors.size === 0 && this.spec !== null;
    this.runBtn.disabled = !ok;
    this.saveBtn.disabled = !ok;
    this.labelEl.textContent = ok ? `label: ${changeLabel(this.sites, this.fileSites, this.spec)}` : this.spec ? 'fix the marked values first' : 'no experiment file';
    this.drawPreviews();
  }

  drawPreviews(): void {
    const theme = this.theme();
    for (const s of this.sites) {
      const canvas = this.previews.get(fieldId(s, 'preview'));
      if (!canvas) continue;
      const amount = parseNumber(s.std);
      const errs = new Map<string, string>();
      const schedule = buildSchedule(s, errs);
      const total = totalT(this.spec, s.per);
      const width = 220;
      const height = 54;
      const dpr = Math.max(1, Math.min(3, devicePixelRatio || 1));
      canvas.width = width * dpr;
      canvas.height = height * dpr;
      canvas.style.width = `${width}px`;
      canvas.style.height = `${height}px`;
      const ctx = canvas.getContext('2d');
      if (!ctx) continue;
      ctx.scale(dpr, dpr);
      ctx.clearRect(0, 0, width, height);
      ctx.font = theme.font;
      ctx.fillStyle = theme.muted || theme.fg;
      if (amount === null || amount < 0 || errs.size) {
        ctx.fillText('no preview: invalid value', 4, height / 2);
        canvas.dataset.points = '0';
        continue;
      }
      const curve = scheduleCurve(amount, schedule, total, 120);
      const top = Math.max(...curve.map((p) => p.std), 1e-12);
      const pad = { l: 4, r: 4, t: 12, b: 12 };
      ctx.strokeStyle = theme.grid;
      ctx.beginPath();
      ctx.moveTo(pad.l, height - pad.b + 0.5);
      ctx.lineTo(width - pad.r, height - pad.b + 0.5);
      ctx.stroke();
      ctx.strokeStyle = s.enabled ? theme.palette[1] : theme.muted || theme.fg;
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      curve.forEach((p, i) => {
        const x = pad.l + (p.t / (total || 1)) * (width - pad.l - pad.r);
        const y = height - pad.b - (p.std / top) * (height - pad.t - pad.b);
        if (i === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      });
      ctx.stroke();
      const last = curve[curve.length - 1].std;
      ctx.fillText(`${Number(amount.toPrecision(3))}`, pad.l, pad.t - 2);
      const end = `→ ${Number(last.toPrecision(3))} at ${total} ${s.per}s`;
      ctx.fillText(end, width - pad.r - ctx.measureText(end).width, height - 1);
      canvas.dataset.points = String(curve.length);
      canvas.dataset.end = String(last);
      canvas.setAttribute('aria-label', `Schedule preview: from ${amount} to ${last} over ${total} ${s.per}s`);
    }
  }
}
