import { describe, expect, it } from 'vitest';
import { plainText, renderMarkdown } from './markdown';

describe('renderMarkdown', () => {
  it('escapes HTML written in a bank, so a lab cannot inject markup into a learner page', () => {
    const html = renderMarkdown('Hello <img src=x onerror=alert(1)> **bold** `<b>code</b>`');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<code>&lt;b&gt;code&lt;/b&gt;</code>');
  });

  it('keeps Markdown marks inside code spans and fences literal', () => {
    expect(renderMarkdown('`a **b** c`')).toBe('<p><code>a **b** c</code></p>');
    expect(renderMarkdown('```sh\nip route add 10.0.0.0/8 via 1.2.3.4 # *x*\n```')).toBe('<pre><code>ip route add 10.0.0.0/8 via 1.2.3.4 # *x*</code></pre>');
  });

  it('renders paragraphs and lists, and only http(s) links', () => {
    const html = renderMarkdown('First line\ncontinues.\n\n- one\n- two\n\n[ok](https://example.org) [bad](javascript:alert(1))');
    expect(html).toContain('<p>First line continues.</p>');
    expect(html).toContain('<ul><li>one</li><li>two</li></ul>');
    expect(html).toContain('<a href="https://example.org"');
    expect(html).not.toContain('href="javascript');
  });
});

describe('plainText', () => {
  it('gives the first line without Markdown marks', () => {
    expect(plainText('\n# On host **A**, add `ip route`\nmore')).toBe('On host A, add ip route');
  });
});
