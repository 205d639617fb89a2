import { describe, expect, it } from 'vitest';
import { plainText, renderMarkdown } from './markdown';

describe('renderMarkdown', () => {
  it('escapes HTML so instructor text cannot inject markup', () => {
    const html = renderMarkdown('<script>alert(1)</script> and <img src=x onerror=alert(1)>');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;');
  });

  it('renders code, bold, lists and safe links only', () => {
    const html = renderMarkdown('Run `ip route` **now**:\n\n- one\n- two\n\n[docs](https://example.org) [bad](javascript:alert(1))');
    expect(html).toContain('<code>ip route</code>');
    expect(html).toContain('<strong>now</strong>');
    expect(html).toContain('<ul>');
    expect(html).toContain('<a href="https://example.org" target="_blank" rel="noreferrer">docs</a>');
    expect(html).not.toContain('href="javascript');
  });

  it('keeps fenced code verbatim in a block a keyboard can reach, and tables in a reachable region', () => {
    const html = renderMarkdown('```\na < b && c\n```\n\n| Host | Address |\n|---|---|\n| A | 192.168.1.5 |\n');
    expect(html).toContain('<pre tabindex="0"><code>a &lt; b &amp;&amp; c</code></pre>');
    expect(html).toContain('<div class="md-table" tabindex="0"><table>');
    expect(html).toContain('<td>192.168.1.5</td>');
  });

  it('starts headings below the page headings', () => {
    expect(renderMarkdown('# Lab')).toContain('<h3>Lab</h3>');
  });
});

describe('plainText', () => {
  it('gives the first line without marks', () => {
    expect(plainText('**Route** `a`\nmore')).toBe('Route a');
  });
});
