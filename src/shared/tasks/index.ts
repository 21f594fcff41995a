// The task registry: every task's unit, by name. Adding a task is its unit here, its trainer half
// (src/trainer/tasks/), and nothing else: the schema's `data.task` enum, the reports, sweep
// selection and the dashboard read what they need from the unit.
import { classification } from './classification';
import { reconstruction } from './reconstruction';
import { regression } from './regression';
import { betterDirection, METRIC_LABEL, metricValue, type SelectMetric, type TaskMetrics, type TaskName, type TaskUnit } from './unit';

export * from './unit';

export const TASKS: Record<TaskName, TaskUnit> = { classification, regression, reconstruction };

export const TASK_NAMES = Object.keys(TASKS) as TaskName[];

export function taskUnit(name: TaskName): TaskUnit {
  const unit = TASKS[name];
  if (!unit) throw new Error(`unknown task "${String(name)}"`);
  return unit;
}

/** A split's headline metric for that task: accuracy, MSE or denoising MSE. */
export const headlineValue = (task: TaskName, m: TaskMetrics | null | undefined): number => metricValue(m, taskUnit(task).headline);

/** The file's `sweep.select` when the task has it, else the task's default, with a note saying so. */
export function selectFor(task: TaskName, asked: SelectMetric | undefined): { select: SelectMetric; note: string } {
  const unit = taskUnit(task);
  const fallback = unit.selects[0];
  if (asked === undefined || unit.selects.includes(asked)) return { select: asked ?? fallback, note: '' };
  return { select: fallback, note: ` (sweep.select "${asked}" does not apply to ${task}: chosen by ${METRIC_LABEL[fallback]} instead)` };
}

/** The generalization gap of the headline metric, positive when the model does better on train than on test. */
export function gap(task: TaskName, train: number, test: number): number {
  return betterDirection(taskUnit(task).headline) === 'higher' ? train - test : test - train;
}
