// Where an experiment file's runs go, one rule for the CLI and VS Code (issue 16, item 4: the
// CLI kept them under its current folder, VS Code under the workspace folder, so VS Code
// retrained a sweep the CLI had just finished). The runs folder is `<root>/<runsFolder>`:
// in VS Code the root is the file's workspace folder; elsewhere (the CLI, a file outside every
// workspace folder) it is the folder a user would open in VS Code for that file, found from the
// file alone, never from the current folder. The rule is pure: file access is passed in.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { escapeText } from './spec/echo';

/** noiseLab.runsFolder's default (package.json), relative to the root. */
export const DEFAULT_RUNS_FOLDER = '.noiselab/runs';

/**
 * Folders that mark a project's root: runs written there before, VS Code's workspace settings,
 * a repository. The nearest ancestor with one of them is the root.
 */
export const ROOT_MARKERS = ['.noiselab', '.vscode', '.git'] as const;

/** What the rule reads of the disk. */
export interface RootProbe {
  /** Whether `dir` holds an entry of that name (file or folder). */
  has(dir: string, name: string): boolean;
  /** The home folder: never a project root (desktop VS Code keeps its extensions in ~/.vscode). */
  home: string;
}

/**
 * The root of an experiment file that no VS Code workspace folder holds: the nearest folder
 * from the file's own up to (not including) the home folder that has `.noiselab`, `.vscode` or
 * `.git`; else the nearest with a package.json; else the file's own folder. The current folder
 * plays no part, so every current folder gives the same root.
 */
export function projectRootOf(file: string, probe: RootProbe): string {
  const own = path.dirname(path.resolve(file));
  const home = path.resolve(probe.home);
  const ancestors: string[] = [];
  for (let dir = own; dir !== home; dir = path.dirname(dir)) {
    ancestors.push(dir);
    if (path.dirname(dir) === dir) break;
  }
  return ancestors.find((d) => ROOT_MARKERS.some((m) => probe.has(d, m))) ?? ancestors.find((d) => probe.has(d, 'package.json')) ?? own;
}

/** `<root>/<runsFolder>`; an absolute runsFolder stands for itself. */
export function runsDirIn(root: string, runsFolder: string = DEFAULT_RUNS_FOLDER): string {
  return path.resolve(root, runsFolder || DEFAULT_RUNS_FOLDER);
}

/**
 * The workspace's own noiseLab.runsFolder, from `<root>/.vscode/settings.json` (JSON with
 * comments, as VS Code reads it), so that the CLI follows the folder VS Code was told to use.
 * `text` is that file's content (undefined: none). A value that is not a non-empty string, or
 * a file that does not parse, gives the default and says why.
 */
export function workspaceRunsFolder(text: string | undefined): { runsFolder: string; problem?: string } {
  if (text === undefined) return { runsFolder: DEFAULT_RUNS_FOLDER };
  const errors: ParseError[] = [];
  const settings: unknown = parse(text, errors, { allowTrailingComma: true });
  if (errors.length > 0 || !settings || typeof settings !== 'object' || Array.isArray(settings)) {
    const why = errors.length > 0 ? printParseErrorCode(errors[0].error) : 'not an object';
    return { runsFolder: DEFAULT_RUNS_FOLDER, problem: `cannot read noiseLab.runsFolder (${why}); runs go to ${DEFAULT_RUNS_FOLDER}` };
  }
  const value = (settings as Record<string, unknown>)['noiseLab.runsFolder'];
  if (value === undefined) return { runsFolder: DEFAULT_RUNS_FOLDER };
  if (typeof value !== 'string' || value.trim() === '') return { runsFolder: DEFAULT_RUNS_FOLDER, problem: `noiseLab.runsFolder must be a non-empty string (got ${escapeText(JSON.stringify(value))}); runs go to ${DEFAULT_RUNS_FOLDER}` };
  return { runsFolder: value };
}

/** The rule's view of this machine's disk. */
export const nodeRootProbe: RootProbe = { has: (dir, name) => fs.existsSync(path.join(dir, name)), home: os.homedir() };

/**
 * The runs folder of an experiment file outside VS Code (the CLI without --out): the file's
 * project root (projectRootOf) with the runsFolder its `.vscode/settings.json` names, if any.
 * `problem` says why that setting was not used.
 */
export function runsDirForFile(file: string, probe: RootProbe = nodeRootProbe): { runsDir: string; root: string; problem?: string } {
  const root = projectRootOf(file, probe);
  const settingsFile = path.join(root, '.vscode', 'settings.json');
  let text: string | undefined;
  try {
    text = fs.readFileSync(settingsFile, 'utf8');
  } catch {
    text = undefined;
  }
  const { runsFolder, problem } = workspaceRunsFolder(text);
  return { runsDir: runsDirIn(root, runsFolder), root, ...(problem && { problem: `${settingsFile}: ${problem}` }) };
}
