import { describe, expect, it } from 'vitest';
import { describeBuildFailure, labImageDockerfile, labImageTag } from './lab-image';

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

describe('describeBuildFailure', () => {
  const failure = "The command '/bin/sh -c set -e && ...' returned a non-zero code: 100";
  it("names the unknown package from apt's words, also when stderr cut into stdout's line", () => {
    const e = describeBuildFailure('praxis-lab:abc', ['nginx', 'ngnix'], 'lab "x", node "web"', failure, ['Reading package lists...', 'Reading state information...E: Unable to locate package ngnix']);
    expect(e.code).toBe('LAB_IMAGE_PACKAGE_UNKNOWN');
    expect(e.message).toBe('lab "x", node "web": Debian has no package "ngnix" to install (apt-get: E: Unable to locate package ngnix); check the name (https://packages.debian.org) and fix packages: in lab.yaml. The lab image praxis-lab:abc was not built.');
    expect(describeBuildFailure('t', ['python'], '', failure, ["E: Package 'python' has no installation candidate"]).message).toMatch(/^Debian has no package "python" to install/);
  });

  it('tells an unreachable mirror from a failed install, and keeps apt\'s last words otherwise', () => {
    const mirror = describeBuildFailure('t', ['tree'], '', failure, ['Err:1 http://deb.debian.org/debian bookworm InRelease', "  Temporary failure resolving 'deb.debian.org'", 'W: Failed to fetch http://deb.debian.org/debian/dists/bookworm/InRelease']);
    expect(mirror.code).toBe('LAB_IMAGE_MIRROR_UNREACHABLE');
    expect(mirror.message).toContain('needs the Debian mirror of the node image, which did not answer: W: Failed to fetch');
    const other = describeBuildFailure('t', ['tree'], '', failure, ['Step 2/3 : RUN set -e', 'dpkg: error processing package tree (--configure):', failure]);
    expect(other.code).toBe('LAB_IMAGE_BUILD_FAILED');
    expect(other.message).toBe('building the lab image t (tree) failed (apt-get exited with 100): dpkg: error processing package tree (--configure):. Nothing was built.');
  });
});
