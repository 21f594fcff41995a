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
  /** Decision-boundary class colours: none of the line colours, so a class never reads as a run. */
  classes: string[];
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
    classes: CLASS_HUES.map((h) => oklch(CLASS_L[kind], 0.15, h)),
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

/**
 * OKLab lightness, chroma and hue (degrees) → "#rrggbb", with the chroma lowered until the colour
 * fits sRGB (so the hue and lightness asked for are the ones drawn).
 */
export function oklch(L: number, C: number, h: number): string {
  const rad = (h * Math.PI) / 180;
  for (let c = C; ; c *= 0.95) {
    const a = c * Math.cos(rad);
    const b = c * Math.sin(rad);
    const l = (L + 0.3963377774 * a + 0.2158037573 * b) ** 3;
    const m = (L - 0.1055613458 * a - 0.0638541728 * b) ** 3;
    const s = (L - 0.0894841775 * a - 1.291485548 * b) ** 3;
    const rgb = [4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s, -1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s, -0.0041960863 * l - 0.7034186147 * m + 1.707614701 * s];
    if (c > 0.001 && rgb.some((v) => v < -1e-4 || v > 1 + 1e-4)) continue;
    const byte = (v: number) => Math.round(255 * Math.min(1, Math.max(0, v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055)));
    return `#${rgb.map((v) => byte(v).toString(16).padStart(2, '0')).join('')}`;
  }
}

/**
 * The sweep points' ramp, per theme: the upper half of viridis (teal → green → yellow-green),
 * lightness rising with the swept value. Its hues stay clear of the control's blue (≈255°) and
 * the noise's orange (≈65°), and its lightness band is one the theme's background shows.
 */
const RAMP: Record<Theme['kind'], { L: [number, number]; C: [number, number] }> = {
  dark: { L: [0.6, 0.9], C: [0.11, 0.19] },
  light: { L: [0.36, 0.7], C: [0.12, 0.19] },
  'high-contrast': { L: [0.68, 0.96], C: [0.13, 0.21] },
};
const RAMP_HUE: [number, number] = [182, 120];

/** Class 0 magenta-pink and class 1 cyan (complementary, told apart with any colour vision), then violet and lime. */
const CLASS_HUES = [350, 226, 300, 135];
/** The classes' lightness: where they sit farthest (OKLab) from the ramp and the categorical colours. */
const CLASS_L: Record<Theme['kind'], number> = { light: 0.55, dark: 0.72, 'high-contrast': 0.74 };

/** `n` ordered colours for a sweep's points, lowest swept value first. */
export function sweepRamp(kind: Theme['kind'], n: number): string[] {
  const r = RAMP[kind];
  const at = (range: [number, number], t: number) => range[0] + (range[1] - range[0]) * t;
  return Array.from({ length: n }, (_, i) => {
    const t = n === 1 ? 0.5 : i / (n - 1);
    return oklch(at(r.L, t), at(r.C, t), at(RAMP_HUE, t));
  });
}
