// Did noise help? The header's answer for the shown group: per noisy variant, its runs' clean
// test metric against the control's, paired by seed (report/runVerdicts.ts, the CLI's pairing),
// over the counting runs only (a seed run twice counts once). The PNG export draws the same lines.
import { variantVerdicts } from '../src/report/runVerdicts';
import type { RunSummary } from '../src/protocol/trainer';
import type { VerdictOutcome } from '../src/report/verdict';
import { groupKey, type Store } from './state';

export interface ShownVerdict {
  /** "input std 0.1: noise helped (…)". */
  text: string;
  outcome: VerdictOutcome;
}

export function groupVerdicts(store: Store): ShownVerdict[] {
  const finished = store.current().filter((r) => r.info.summary);
  const controls = finished.filter((r) => r.info.variant === 'control').map((r) => r.info.summary as RunSummary);
  if (controls.length === 0) return [];
  const variants = new Map<string, { label: string; runs: RunSummary[] }>();
  for (const r of finished) {
    if (r.info.variant === 'control') continue;
    const key = groupKey(r.info);
    const v = variants.get(key) ?? { label: r.info.label, runs: [] };
    v.runs.push(r.info.summary as RunSummary);
    variants.set(key, v);
  }
  const out: ShownVerdict[] = [];
  for (const { label, runs } of variants.values()) {
    const verdict = variantVerdicts(runs, controls).noise;
    if (verdict) out.push({ text: `${label}: ${verdict.sentence}`, outcome: verdict.outcome });
  }
  return out;
}

/** The verdict lines under the title, visible without scrolling. */
export class VerdictView {
  lines: ShownVerdict[] = [];

  constructor(
    readonly el: HTMLElement,
    private readonly store: Store,
  ) {}

  render(): void {
    this.lines = groupVerdicts(this.store);
    this.el.replaceChildren(
      ...this.lines.map((v) => {
        const p = document.createElement('p');
        p.className = `verdict-line ${v.outcome}`;
        p.textContent = v.text;
        return p;
      }),
    );
    this.el.hidden = this.lines.length === 0;
  }
}
