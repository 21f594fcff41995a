// Run again trains noisy runs only: its verdict pairs them with the control runs that the runs
// folder already holds for the same experiment and setup (equal spec keys: the same data,
// model, training and seed; only noise may differ), so that a tweak is judged against the
// clean runs it really is a variant of. No vscode: tested in plain Node.
import type { Experiment } from '../spec/schema';
import { experimentFolderName } from '../spec/runs';
import { specKey } from '../spec/runKey';
import type { RunSummary } from '../protocol/trainer';
import { trainedToEnd } from '../report/runVerdicts';
import { readRuns } from './runsStore';

/** A stored run as far as pairing needs it: its summary and the resolved spec it trained. */
export interface StoredControlCandidate {
  summary: RunSummary | null;
  spec: Experiment | null;
}

/**
 * The control runs among `candidates` that `spec`'s noisy runs pair with: trained to their end,
 * with `spec`'s key, and on the whole training split (a cross-validation fold's control trained
 * on less data). Seeds run more than once are all returned; the verdict takes the latest.
 */
export function matchingControls(candidates: StoredControlCandidate[], spec: Experiment): RunSummary[] {
  const key = specKey(spec);
  return candidates
    .filter(({ summary, spec: stored }) => summary?.variant === 'control' && trainedToEnd(summary) && !summary.fold && stored && specKey(stored) === key)
    .map(({ summary }) => summary!);
}

/** The experiment's matching control runs under runsDir (as runsStore read them: an unreadable spec.json gives no spec, and no match). */
export function storedControls(runsDir: string, spec: Experiment): RunSummary[] {
  const folder = experimentFolderName(spec);
  const candidates = readRuns(runsDir)
    .filter((r) => r.experiment === folder && r.summary?.variant === 'control' && trainedToEnd(r.summary))
    .map((r) => ({ summary: r.summary, spec: r.spec }));
  return matchingControls(candidates, spec);
}
