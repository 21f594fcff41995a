// Colours from VS Code's theme variables (light, dark, high contrast), resolved to concrete
// values for the canvases, and re-read when VS Code switches theme.

export interface Theme {
  kind: 'light' | 'dark' | 'high-contrast';
  fg: string;
  muted: string;
  bg: string;
  grid: string;
  border: string;
  focus: string;
  /** Series colours: blue (control), orange (noise), then green, purple, red, yellow. */
  palette: string[];
  font: string;
}

const FALLBACK: Record<string, string> = {
  '--vscode-charts-blue': '#3794ff',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-green': '#89d185',
  '--vscode-charts-purple': '#b180d7',
  '--vscode-charts-red': '#f14c4c',
  '--vscode-charts-yellow': '#cca700',
  '--vscode-editor-background': '#1e1e1e',
  '--vscode-foreground': '#cccccc',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-focusBorder': '#007fd4',
  '--vscode-panel-border': '#80808059',
};

function cssVar(name: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim() || getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || FALLBACK[name] || '';
}

let probe: CanvasRenderingContext2D | null = null;

/** Any CSS colour → [r, g, b, a] (0–255, a 0–1), through the canvas's own parser. */
export function parseColor(c: string): [number, number, number, number] {
  probe ??= document.createElement('canvas').getContext('2d');
  if (!probe) return [128, 128, 128, 1];
  probe.fillStyle = '#000';
  probe.fillStyle = c;
  const s = String(probe.fillStyle);
  if (s.startsWith('#')) {
    const n = parseInt(s.slice(1, 7), 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255, 1];
  }
  const m = /rgba?\(([^)]+)\)/.exec(s);
  if (!m) return [128, 128, 128, 1];
  const [r, g, b, a] = m[1].split(',').map((x) => parseFloat(x));
  return [r, g, b, Number.isFinite(a) ? a : 1];
}

export function withAlpha(c: string, alpha: number): string {
  const [r, g, b] = parseColor(c);
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

export function readTheme(): Theme {
  const cls = document.body.classList;
  const kind = cls.contains('vscode-high-contrast') || cls.contains('vscode-high-contrast-light') ? 'high-contrast' : cls.contains('vscode-light') ? 'light' : 'dark';
  const fg = cssVar('--vscode-foreground');
  const bg = cssVar('--vscode-editor-background');
  const family = cssVar('--vscode-font-family') || 'system-ui, sans-serif';
  const size = cssVar('--vscode-font-size') || '13px';
  return {
    kind,
    fg,
    muted: cssVar('--vscode-descriptionForeground'),
    bg,
    grid: withAlpha(fg, kind === 'high-contrast' ? 0.35 : 0.12),
    border: cssVar('--vscode-panel-border'),
    focus: cssVar('--vscode-focusBorder'),
    palette: ['blue', 'orange', 'green', 'purple', 'red', 'yellow'].map((c) => cssVar(`--vscode-charts-${c}`)),
    font: `${parseInt(size, 10) - 2 || 11}px ${family}`,
  };
}

/** Calls back when VS Code changes the theme (body class or the variables on <html>). */
export function onThemeChange(callback: () => void): void {
  const observer = new MutationObserver(() => callback());
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
}

/** Dash patterns that tell repeats apart (repeat 0 solid). */
export const DASHES: number[][] = [[], [6, 3], [2, 3], [10, 3, 2, 3], [1, 5], [12, 6]];

export function dashFor(repeat: number): number[] {
  return DASHES[((repeat % DASHES.length) + DASHES.length) % DASHES.length];
}
