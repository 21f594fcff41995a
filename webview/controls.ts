// Tweak and rerun: per noise site, its std (number field + log slider) and schedule (type and
// its parameters), prefilled from the file, with a live preview of the schedule curve. Every
// number is checked (tweakModel.ts) before anything is posted (the host checks again): a
// negative std, NaN, text or an out-of-range parameter disables Run again / Save to file and
// says why (the field is marked, with the reason as its tooltip, and listed under the buttons).
import type { Experiment, Schedule } from '../src/spec/schema';
import { scheduleCurve } from '../src/spec/schedules';
import { post } from './api';
import type { Theme } from './theme';
import { button, checkbox, dropdown, setInvalid, textField, type ButtonEl } from './toolkit';
import { amountLabel as amountName, amountMax, buildNoise, buildSchedule, changeLabel, fieldId, PARAM_HELP, PARAMS, PARAMS_OF, parseNumber, SCHEDULE_TYPES, siteDetail, siteLabel, sliderMin, totalT, tweakFromNoise, type BuiltNoise, type SiteTweak, type TweakState } from './tweakModel';

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
  private built: BuiltNoise = { noise: {}, errors: new Map() };

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
    // The host sends the same init again when a sweep's first run is submitted: building the panel again cost ≈0.1 s of the page's opening.
    if (JSON.stringify([spec, this.sites]) !== this.renderedFrom) this.render();
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

  /** The spec and sites the panel was last built from (a user's edit changes the sites, so a later setSpec builds it again). */
  private renderedFrom = '';

  private render(): void {
    this.renderedFrom = JSON.stringify([this.spec, this.sites]);
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
    const detail = siteDetail(s) ? ` (${siteDetail(s)})` : '';
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
    amountLabel.textContent = amountName(s, this.spec);
    const max = amountMax(s, this.spec);
    const LOG_MIN = Math.log10(sliderMin(s));
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
