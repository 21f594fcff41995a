// "Apply best to file": writes the sweep's best point into the experiment file. A best point
// that does not beat the clean control on the metric that chose it is no primary action: the
// button turns secondary and asks first, inline, with the reason, "Apply anyway" and "Cancel"
// (focus moves to Cancel; Escape cancels). Only "Apply anyway" posts, with `confirmed: true`;
// the host refuses such a point without it.
import type { SweepView } from '../src/protocol/webview';
import { post } from './api';
import { button } from './toolkit';

type Best = NonNullable<SweepView['best']>;

const APPLY_TITLE = 'Write the best point into the experiment file (one undoable edit; comments kept)';

export class ApplyBest {
  /** The button, for the section's head. */
  readonly button;
  /** The inline question, under the head. */
  readonly confirm: HTMLElement;
  private readonly reason: HTMLElement;
  private readonly cancel;
  private best: Best | null = null;

  constructor() {
    this.button = button('Apply best to file', () => this.apply(), { id: 'apply-best', title: APPLY_TITLE });
    this.confirm = Object.assign(document.createElement('div'), { className: 'sweep-confirm', id: 'apply-confirm', hidden: true });
    this.confirm.setAttribute('role', 'group');
    this.confirm.setAttribute('aria-labelledby', 'apply-confirm-reason');
    this.reason = Object.assign(document.createElement('p'), { id: 'apply-confirm-reason' });
    const anyway = button('Apply anyway', () => this.post(true), { id: 'apply-anyway' });
    this.cancel = button('Cancel', () => this.close(), { id: 'apply-cancel', secondary: true });
    const actions = Object.assign(document.createElement('div'), { className: 'sweep-confirm-actions' });
    actions.append(anyway, this.cancel);
    this.confirm.append(this.reason, actions);
    this.confirm.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.close();
    });
  }

  /** The best point of the sweep now shown (null: none, and the button is disabled). */
  set(best: Best | null): void {
    this.best = best;
    this.close(false);
    this.button.disabled = !best;
    const doubtful = best?.beatsControl === false;
    this.button.setAttribute('appearance', doubtful ? 'secondary' : 'primary');
    this.button.title = doubtful ? `The best point does not beat the clean control: applying asks first. ${APPLY_TITLE}` : APPLY_TITLE;
  }

  private apply(): void {
    const best = this.best;
    if (!best) return;
    if (best.beatsControl !== false) return this.post(false);
    this.reason.textContent = `${capitalize(best.versusControl ?? 'the best point does not beat the clean control')}. Write it into the file anyway?`;
    this.confirm.hidden = false;
    this.cancel.focus();
  }

  private post(confirmed: boolean): void {
    if (!this.best) return;
    post({ type: 'applyPoint', point: this.best.point, ...(confirmed && { confirmed: true }) });
    this.close();
  }

  /** Hides the question; focus goes back to the button when it was inside the question. */
  private close(refocus = true): void {
    const inside = this.confirm.contains(document.activeElement);
    this.confirm.hidden = true;
    if (refocus && inside) this.button.focus();
  }
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
