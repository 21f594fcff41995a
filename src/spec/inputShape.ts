// The shape of one sample as the model sees it, known before anything runs: the digits are
// 8×8 images with one channel, an images folder's are its imageSize × channels, sequences are
// time steps × features, every other source gives flat rows of features (a CSV's count is only
// known once it is read, so it counts as unknown here).
import { DEFAULT_WINDOW, type Experiment, type ExperimentInput } from './schema';
import { DEFAULT_IMAGE_CHANNELS, DEFAULT_IMAGE_SIZE, type DataSpec } from './dataSchema';
import type { ProblemList } from './problems';

/** scikit-learn's load_digits: how many images there are and the shape of each. */
export const DIGITS = { images: 1797, shape: [8, 8, 1], classes: 10 } as const;

/** An `images` source's height × width × channels, its defaults filled in. */
export function imageShapeOf(data: Pick<DataSpec, 'imageSize' | 'channels'>): [number, number, number] {
  const [h, w] = data.imageSize ?? DEFAULT_IMAGE_SIZE;
  return [h, w, data.channels ?? DEFAULT_IMAGE_CHANNELS];
}

/** Height × width × channels for images, steps × features for sequences, [features] for rows; a CSV's [null] (not known until it loads). */
export type InputShape = (number | null)[];

/** `csvFeatures`: a CSV's feature count when its head has been read. */
export function inputShapeOf(spec: Experiment, csvFeatures?: number): InputShape {
  const window = spec.data.sequence?.window ?? DEFAULT_WINDOW;
  switch (spec.data.source) {
    case 'digits':
      return [...DIGITS.shape];
    case 'images':
      return imageShapeOf(spec.data);
    case 'sineWindows':
      return [window, 1];
    case 'adding':
      return [window, 2];
    case 'csv':
      // A time series' steps hold the columns `sequence.features` names (default: the target's).
      if (spec.data.sequence) return [window, spec.data.sequence.features?.length ?? 1];
      return [csvFeatures ?? null];
    case 'sine':
      return [1];
    default:
      return [2];
  }
}

/** What the digits source takes: a subset of its images, and none of the drawn generators' parameters. */
export function checkDigits(input: ExperimentInput, spec: Experiment, problems: ProblemList): void {
  if (spec.data.source !== 'digits') return;
  if (spec.data.samples > DIGITS.images) problems.error(['data', 'samples'], `digits has ${DIGITS.images.toLocaleString('en-US')} images: data.samples must be at most that (got ${spec.data.samples.toLocaleString('en-US')}).`);
  if (input.data.noise !== undefined) problems.warning(['data', 'noise'], '"noise" is the std of noise drawn into a generator\'s points; digits are real images and ignore it (add training noise under "noise").', 'key');
}
