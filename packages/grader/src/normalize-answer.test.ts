import { describe, expect, it } from 'vitest';
import { answerMatches, normalizeAnswer } from './normalize-answer';

describe('answer normalisers', () => {
  it('always trims, and compares exactly otherwise', () => {
    expect(answerMatches('  eth1 \n', ['eth1'], [])).toBe(true);
    expect(answerMatches('ETH1', ['eth1'], [])).toBe(false);
    expect(answerMatches('ETH1', ['eth1'], ['case'])).toBe(true);
  });

  it('ip: accepts the address with or without its prefix, in canonical form', () => {
    expect(answerMatches('192.168.1.5', ['192.168.1.5/24'], ['ip'])).toBe(true);
    expect(answerMatches(' 192.168.1.5/24 ', ['192.168.1.5'], ['ip'])).toBe(true);
    expect(answerMatches('192.168.1.50', ['192.168.1.5/24'], ['ip'])).toBe(false);
    expect(normalizeAnswer('FE80:0:0::1/64', ['ip'])).toBe('fe80::1');
  });

  it('mac: ignores case and separator style', () => {
    expect(answerMatches('02-42-C0-A8-01-06', ['02:42:c0:a8:01:06'], ['mac'])).toBe(true);
    expect(answerMatches('0242.c0a8.0106', ['02:42:c0:a8:01:06'], ['mac'])).toBe(true);
    expect(answerMatches('02:42:c0:a8:01:07', ['02:42:c0:a8:01:06'], ['mac'])).toBe(false);
  });

  it('spaces and number', () => {
    expect(answerMatches('hosts:   files  dns', ['hosts: files dns'], ['spaces'])).toBe(true);
    expect(answerMatches('02379', ['2379'], ['number'])).toBe(true);
    expect(answerMatches('2380', ['2379'], ['number'])).toBe(false);
  });

  it('an empty answer never matches, even an empty expected value', () => {
    expect(answerMatches('   ', [''], [])).toBe(false);
  });

  it('accepts any of several forms', () => {
    expect(answerMatches('net.ipv4.ip_forward', ['/proc/sys/net/ipv4/ip_forward', 'net.ipv4.ip_forward'], [])).toBe(true);
  });

  it('accepts answers matching a pattern whole, after the normalisers', () => {
    const patterns = ['10\\.0\\.0\\.\\d{1,3}', '.*\\beth0\\b.*'];
    expect(answerMatches('10.0.0.42/24', ['192.168.1.1'], ['ip'], patterns)).toBe(true);
    expect(answerMatches('10.0.0.42 and more', ['x'], [], patterns)).toBe(false); // whole answer, not a prefix
    expect(answerMatches('the route goes out of eth0 here', ['x'], [], patterns)).toBe(true); // "contains"
    expect(answerMatches('ETH0', ['x'], [], ['eth0'])).toBe(false);
    expect(answerMatches('ETH0', ['x'], ['case'], ['eth0'])).toBe(true);
    expect(answerMatches('', ['x'], [], ['.*'])).toBe(false);
    expect(answerMatches('a'.repeat(2000), ['x'], [], ['a+'])).toBe(false);
  });
});
