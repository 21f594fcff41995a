// What `data.sequence` takes, checked before anything runs. A time-ordered CSV must stay in time
// order (a shuffled split, or cross-validation folds drawn across time, would train on the future
// of the test windows); the generators make independent sequences and take only a length.
import type { Experiment, ExperimentInput } from './schema';
import type { ProblemList } from './problems';
import { quote } from './echo';
import { modelLayers } from './shapes';

/** The sources whose samples are sequences. */
const SEQUENCE_SOURCES = ['csv', 'sineWindows', 'adding'] as const;
const GENERATED_SEQUENCES: readonly string[] = ['sineWindows', 'adding'];

export function isSequenceSource(spec: Experiment): boolean {
  return GENERATED_SEQUENCES.includes(spec.data.source) || (spec.data.source === 'csv' && spec.data.sequence !== undefined);
}

export function checkSequence(input: ExperimentInput, spec: Experiment, problems: ProblemList): void {
  if (spec.noise.weights?.every === 'sequence' && !modelLayers(spec.model).some((l) => l.type === 'lstm' || l.type === 'gru')) {
    problems.error(['noise', 'weights', 'every'], '"every": "sequence" draws a recurrent layer\'s weights once per training sequence, but this model has no lstm or gru layer: use "batch" or "epoch".');
  }
  const sequence = input.data.sequence;
  const source = spec.data.source;
  if (sequence && !(SEQUENCE_SOURCES as readonly string[]).includes(source)) {
    problems.error(['data', 'sequence'], `"sequence" is for time series ("source": "csv") and the sequence generators (sineWindows, adding); ${source} has no time steps.`, 'key');
    return;
  }
  if (GENERATED_SEQUENCES.includes(source)) {
    for (const key of ['horizon', 'features'] as const) {
      if (sequence?.[key] !== undefined) problems.warning(['data', 'sequence', key], `"${key}" reads a CSV's rows; ${source} generates whole sequences and ignores it (it takes "window").`, 'key');
    }
    if (source === 'adding' && input.data.noise !== undefined) problems.warning(['data', 'noise'], '"noise" is ignored by adding: its values are uniform and its target exact (add training noise under "noise").', 'key');
    if (source === 'adding' && input.data.classes !== undefined) problems.warning(['data', 'classes'], '"classes" is ignored by adding, a regression task.', 'key');
    return;
  }
  if (source !== 'csv' || !sequence) return;
  if (input.data.shuffle === true) {
    problems.error(['data', 'shuffle'], 'A time series is split in time order (train first, test last): shuffling before the split would train on the future of the test windows. Remove "shuffle" (training batches are still drawn in a shuffled order).');
  }
  if (spec.sweep?.crossValidation) {
    problems.error(['sweep', 'crossValidation'], 'Cross-validation folds are drawn across time, which leaks the future of a time series into training: validate on data.split.validation instead (the part after train).', 'key');
  }
}

/** A time series' feature and target columns against the CSV's header, when it was read. */
export function checkSequenceColumns(data: ExperimentInput['data'], header: string[], problems: ProblemList): void {
  const sequence = data.sequence;
  if (data.source !== 'csv' || !sequence?.features) return;
  sequence.features.forEach((name, i) => {
    if (!header.includes(name)) problems.error(['data', 'sequence', 'features', i], `No column ${quote(name)} in the CSV's header (${header.slice(0, 20).map((h) => quote(h)).join(', ')}${header.length > 20 ? ', …' : ''}).`);
  });
}
