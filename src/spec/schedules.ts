// Noise schedules: how a site's std changes over training. One pure function of t, so the
// trainer, the editor's preview chart and the dashboard's run labels all agree.
import { ScheduleSchema, type NoiseSpec, type Schedule } from './schema';
import { amountOf, siteEntries, siteInfo } from '../shared/noiseSites';

// The per-type parameters are optional in the resolved type (their defaults live in the
// JSON Schema, which ajv fills in), so fall back to those same defaults rather than copies.
const P = ScheduleSchema.properties;
const param = (s: Schedule, key: 'gamma' | 'decay' | 'factor' | 'every' | 'end'): number => s[key] ?? (P[key].default as number);

/** Which unit t counts in, and how to get t from a step index and epoch index. */
export function scheduleTime(schedule: Schedule, step: number, epoch: number): number {
  return schedule.per === 'epoch' ? epoch : step;
}

/** The fraction of a linear or cosine schedule done at t, in [0, 1]. */
function progress(schedule: Schedule, t: number, total: number): number {
  const T = schedule.steps ?? total;
  // A run of length 0 (or an empty span) is already at the end.
  return T > 0 ? Math.min(t / T, 1) : 1;
}

/** The std at time t (t counts steps or epochs, per the schedule's `per`), given the run's total length in that unit. */
export function stdAt(std: number, schedule: Schedule, t: number, total: number): number {
  t = Math.max(0, t);
  let v: number;
  switch (schedule.type) {
    case 'constant':
      v = std;
      break;
    case 'linear': {
      const end = param(schedule, 'end');
      v = std + (end - std) * progress(schedule, t, total);
      break;
    }
    case 'exponential':
      v = std * param(schedule, 'decay') ** t;
      break;
    case 'step':
      v = std * param(schedule, 'factor') ** Math.floor(t / param(schedule, 'every'));
      break;
    case 'cosine': {
      const end = param(schedule, 'end');
      v = end + ((std - end) * (1 + Math.cos(Math.PI * progress(schedule, t, total)))) / 2;
      break;
    }
    case 'annealed':
      // Neelakantan et al. anneal the variance, std² / (1+t)^γ, so the std falls with half the exponent.
      v = std * (1 + t) ** (-param(schedule, 'gamma') / 2);
      break;
  }
  // Rounding in the cosine can dip a hair below 0; a std is never negative.
  return Math.max(0, v);
}

/** `points` samples of the curve over [0, total], for previews and charts. */
export function scheduleCurve(std: number, schedule: Schedule, total: number, points = 101): { t: number; std: number }[] {
  if (!(total > 0)) return [{ t: 0, std: stdAt(std, schedule, 0, 0) }];
  const n = Math.max(2, Math.floor(points));
  return Array.from({ length: n }, (_, i) => {
    // The last point is exactly `total`, not total·(n−1)/(n−1) with rounding error.
    const t = i === n - 1 ? total : (total * i) / (n - 1);
    return { t, std: stdAt(std, schedule, t, total) };
  });
}

/** Short, stable number text for labels: 0.1 not 0.10000000000000001, 1e-4 as 0.0001. */
const num = (x: number): string => String(Number(x.toPrecision(3)));

/** A short human label, e.g. "std 0.1, annealed γ=0.55", used to tell runs apart in the dashboard. */
export function describeSchedule(std: number, schedule: Schedule): string {
  const unit = schedule.per;
  const span = schedule.steps === undefined ? '' : ` over ${schedule.steps} ${unit}${schedule.steps === 1 ? '' : 's'}`;
  const head = `std ${num(std)}`;
  switch (schedule.type) {
    case 'constant':
      return head;
    case 'linear':
    case 'cosine':
      return `${head}, ${schedule.type} → ${num(param(schedule, 'end'))}${span}`;
    case 'exponential':
      return `${head}, ×${num(param(schedule, 'decay'))} per ${unit}`;
    case 'step': {
      const every = param(schedule, 'every');
      return `${head}, ×${num(param(schedule, 'factor'))} every ${every} ${unit}${every === 1 ? '' : 's'}`;
    }
    case 'annealed':
      return `${head}, annealed γ=${num(param(schedule, 'gamma'))}${unit === 'epoch' ? ' per epoch' : ''}`;
  }
}

/** A short text for a noise spec, e.g. "input std 0.1 · gradients std 0.1, annealed γ=0.55":
 * how the dashboard labels runs and lists their noise. Each entry is its registry tag and its
 * amount under the amount's short name ("labels flip 0.05", "input masking fraction 0.3"). */
export function describeNoise(noise: NoiseSpec): string {
  const parts = siteEntries(noise).map(({ key, entry }) => {
    const info = siteInfo(key);
    const field = info.amount(entry as never);
    const amount = amountOf(key, entry) ?? 0;
    const schedule = (entry as { schedule?: Schedule }).schedule;
    const text = schedule ? describeSchedule(amount, schedule) : `std ${amount}`;
    return `${info.tag(entry as never)} ${field === 'std' ? text : text.replace(/^std /, `${info.amounts[field].short} `)}`;
  });
  return parts.join(' · ') || 'no noise';
}
