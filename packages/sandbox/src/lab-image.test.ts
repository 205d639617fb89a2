import { describe, expect, it } from 'vitest';
import { labImageDockerfile, labImageTag } from './lab-image';

describe('labImageTag', () => {
  it('depends on the node image and the set of packages, not on their order or repeats', () => {
    const tag = labImageTag('praxis-node:04ecdc5a6797', ['tree', 'jq']);
    expect(tag).toMatch(/^praxis-lab:[0-9a-f]{12}$/);
    expect(labImageTag('praxis-node:04ecdc5a6797', ['jq', 'tree', 'jq'])).toBe(tag);
    expect(labImageTag('praxis-node:aaaaaaaaaaaa', ['jq', 'tree'])).not.toBe(tag);
    expect(labImageTag('praxis-node:04ecdc5a6797', ['jq'])).not.toBe(tag);
    expect(labImageTag('praxis-k8s:04ecdc5a6797', ['jq', 'tree'])).not.toBe(tag);
  });
});

describe('labImageDockerfile', () => {
  it('installs the sorted list without recommends in one RUN step after FROM, labels last', () => {
    const text = labImageDockerfile('praxis-node:04ecdc5a6797', ['tree', 'python3', 'tree']);
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe('FROM praxis-node:04ecdc5a6797');
    expect(lines[1]).toMatch(/^RUN set -e/);
    expect(text).toContain('install -y --no-install-recommends python3 tree');
    expect(text).toContain('rm -rf /var/lib/apt/lists/*');
    expect(lines.at(-1)).toBe('LABEL praxis.lab-image.base="praxis-node:04ecdc5a6797" praxis.lab-image.packages="python3 tree"');
    // Exactly one step that can fail: a failed install commits nothing.
    expect(lines.filter((l) => /^[A-Z]+ /.test(l)).map((l) => l.split(' ')[0])).toEqual(['FROM', 'RUN', 'LABEL']);
  });

  it('refuses a word that is no Debian package name (it would become shell)', () => {
    expect(() => labImageDockerfile('praxis-node:x', ['tree; rm -rf /'])).toThrow(/is not a Debian package name/);
    expect(() => labImageDockerfile('praxis-node:x', ['-o'])).toThrow(/is not a Debian package name/);
  });
});
