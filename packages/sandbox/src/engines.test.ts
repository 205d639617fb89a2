import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EngineSet, loadEngineSpecs } from './engines';

const dir = mkdtempSync(join(tmpdir(), 'praxis-engines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
for (const f of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(dir, f), `${f} contents`);
const tls = { ca: join(dir, 'ca.pem'), cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') };

describe('loadEngineSpecs', () => {
  it('reads a list of engines, inline or from a file, with the TLS files of tcp:// engines', () => {
    const list = [
      { id: 'local', url: 'unix:///var/run/docker.sock', capacity: 20 },
      { id: 'b', url: 'tcp://10.0.0.2:2376', capacity: 30, tls },
    ];
    const inline = loadEngineSpecs(JSON.stringify(list));
    expect(inline.map((e) => e.id)).toEqual(['local', 'b']);
    expect(inline[1]!.credentials).toMatchObject({ ca: Buffer.from('ca.pem contents') });
    writeFileSync(join(dir, 'engines.json'), JSON.stringify(list));
    const set = new EngineSet(loadEngineSpecs(join(dir, 'engines.json')));
    expect(set.ids).toEqual(['local', 'b']);
    expect(set.capacity).toBe(50);
    expect(() => set.get('nope')).toThrow(/no engine "nope" is configured \(engines: local, b\)/);
  });

  it('refuses tcp:// without TLS, a duplicate id and a bad url, naming the engine and field', () => {
    expect(() => loadEngineSpecs('[{"id":"a","url":"tcp://10.0.0.2:2375","capacity":4}]')).toThrow(/engines\[0\]\.tls: a tcp:\/\/ engine needs tls/);
    expect(() => loadEngineSpecs('[{"id":"a","url":"unix:///x","capacity":4},{"id":"a","url":"unix:///y","capacity":4}]')).toThrow(/engine id "a" is listed twice/);
    expect(() => loadEngineSpecs('[{"id":"a","url":"http://x","capacity":4}]')).toThrow(/unix:\/\/\/path\/to\/docker.sock, tcp:\/\/host:port or ssh:\/\/user@host/);
    expect(() => loadEngineSpecs('[{"id":"a","url":"unix:///x","capacity":0}]')).toThrow(/engines\[0\]\.capacity/);
    expect(() => loadEngineSpecs(JSON.stringify([{ id: 'a', url: 'tcp://h:1', capacity: 1, tls: { ca: 'x' } }]))).toThrow(/engines\[0\]\.tls\.cert/);
  });

  it('names an unreadable certificate file, an unreadable list and bad JSON', () => {
    const missing = { ...tls, key: join(dir, 'nope.pem') };
    expect(() => loadEngineSpecs(JSON.stringify([{ id: 'b', url: 'tcp://h:2376', capacity: 1, tls: missing }]))).toThrow(/engine "b": tls.key file .*nope.pem cannot be read \(ENOENT\)/);
    expect(() => loadEngineSpecs(join(dir, 'absent.json'))).toThrow(/cannot read .*absent.json \(ENOENT\)/);
    expect(() => loadEngineSpecs('[{')).toThrow(/PRAXIS_ENGINES: not valid JSON/);
  });
});
