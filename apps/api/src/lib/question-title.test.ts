import { describe, expect, it } from 'vitest';
import { questionTitle, stripMarkdown } from './question-title';

describe('questionTitle', () => {
  it('takes the first sentence and strips Markdown', () => {
    expect(questionTitle('What is the **MAC address** of `eth0` on node `b`? Look with `ip link`.')).toBe('What is the MAC address of eth0 on node b?');
    expect(questionTitle('# Routes\n\nAdd a route on [node a](http://x) so that A reaches C.\n\n```\nip route\n```')).toBe('Routes Add a route on node a so that A reaches C.');
  });

  it('does not end a sentence inside an address or an abbreviation', () => {
    expect(questionTitle('Give node a a route to 192.168.2.0/24 via the router. Then check.')).toBe('Give node a a route to 192.168.2.0/24 via the router.');
    expect(questionTitle('Use a tool, e.g. ip, to list links. More.')).toBe('Use a tool, e.g. ip, to list links.');
  });

  it('cuts a long sentence on a word boundary with an ellipsis', () => {
    const long = 'Configure the router node so that packets from the first network reach the second network and answers come back without any network address translation in between';
    const title = questionTitle(long);
    expect(title.length).toBeLessThanOrEqual(100);
    expect(title.endsWith('…')).toBe(true);
    expect(long.startsWith(title.slice(0, -1))).toBe(true);
    expect(long[title.length - 1]).toBe(' ');
  });

  it('keeps list and emphasis text', () => {
    expect(stripMarkdown('- *one* and __two__\n- three')).toBe('one and two three');
  });
});
