// The dashboard webview's page: a pure function (no vscode import), shared by the panel and
// the browser tests. Strict CSP: scripts only with the nonce, styles and images only from the
// extension (cspSource), no inline styles, nothing remote.

export interface DashboardHtmlOptions {
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri?: string;
  title?: string;
}

const escapeAttr = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeText = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function dashboardHtml(o: DashboardHtmlOptions): string {
  if (!/^[A-Za-z0-9+/=_-]+$/.test(o.nonce)) throw new Error('dashboardHtml: the nonce must be base64 or hex');
  // VS Code gives one or more source expressions (code-server: several, space-separated); a
  // ";" or a newline could start another directive.
  if (/[;,\r\n"<>]/.test(o.cspSource) || !o.cspSource.trim()) throw new Error('dashboardHtml: invalid cspSource');
  const src = o.cspSource.trim();
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${o.nonce}'`,
    `style-src ${src}`,
    `img-src ${src} data: blob:`,
    `font-src ${src}`,
  ].join('; ');
  const style = o.styleUri ? `\n  <link rel="stylesheet" href="${escapeAttr(o.styleUri)}">` : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${escapeAttr(csp)}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">${style}
  <title>${escapeText(o.title ?? 'Noise Lab')}</title>
</head>
<body>
  <main id="app"></main>
  <script nonce="${escapeAttr(o.nonce)}" src="${escapeAttr(o.scriptUri)}"></script>
</body>
</html>
`;
}
