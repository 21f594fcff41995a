// The dashboard page itself: a strict CSP (scripts by nonce only, styles and images only from
// the extension, nothing remote, no inline styles) and safe attribute values.
import * as assert from 'node:assert/strict';
import { dashboardHtml } from '../../src/host/dashboardHtml';

describe('dashboardHtml', () => {
  const o = { cspSource: 'https://file+.vscode-resource.vscode-cdn.net', nonce: 'abc123XYZ+/=', scriptUri: 'https://x/dist/webview.js', styleUri: 'https://x/dist/webview.css' };
  const csp = (html: string) => /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1];

  it('has a strict CSP', () => {
    const policy = csp(dashboardHtml(o));
    assert.equal(
      policy,
      "default-src 'none'; script-src 'nonce-abc123XYZ+/='; style-src https://file+.vscode-resource.vscode-cdn.net; img-src https://file+.vscode-resource.vscode-cdn.net data: blob:; font-src https://file+.vscode-resource.vscode-cdn.net",
    );
    assert.doesNotMatch(policy, /unsafe-(inline|eval)/);
  });

  it('loads one script by nonce and one stylesheet, with no inline style or script', () => {
    const html = dashboardHtml(o);
    assert.match(html, /<script nonce="abc123XYZ\+\/=" src="https:\/\/x\/dist\/webview.js"><\/script>/);
    assert.match(html, /<link rel="stylesheet" href="https:\/\/x\/dist\/webview.css">/);
    assert.doesNotMatch(html, /style=|<style/);
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.doesNotMatch(dashboardHtml({ ...o, styleUri: undefined }), /<link/);
  });

  it('escapes values and refuses a nonce or source that could break the policy', () => {
    const html = dashboardHtml({ ...o, scriptUri: 'https://x/a"b<c>.js', title: '<b>x</b>' });
    assert.match(html, /src="https:\/\/x\/a&quot;b&lt;c&gt;.js"/);
    assert.match(html, /<title>&lt;b&gt;x&lt;\/b&gt;<\/title>/);
    assert.throws(() => dashboardHtml({ ...o, nonce: "x' 'unsafe-inline" }));
    assert.throws(() => dashboardHtml({ ...o, cspSource: "https://x; script-src 'unsafe-eval'" }));
  });
});
