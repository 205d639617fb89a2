// The importers on scenarios and tracks written for these tests in Killercoda's and Instruqt's
// formats: the lab they write validates, carries every step, asset and script where it belongs,
// and the report names every feature it could not map with its source file.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { validateLab } from '../validate-lab';
import { extractExecCommands, ImportError, importInstruqt, importKillercoda } from './index';

const fixture = (rel: string) => fileURLToPath(new URL(`../../test/fixtures/${rel}`, import.meta.url));
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});
async function outDir(name: string) {
  const d = await mkdtemp(path.join(tmpdir(), 'praxis-import-'));
  dirs.push(d);
  return path.join(d, name);
}

describe('importKillercoda', () => {
  it('turns verified steps into tasks, backgrounds into setup, assets into files, and reports the rest', async () => {
    const out = await outDir('app-config');
    const r = await importKillercoda(fixture('killercoda/app-config'), out);
    const v = await validateLab(out);
    expect(v.errors).toEqual([]);
    const lab = v.lab!;
    expect(lab.id).toBe('app-config');
    expect(lab.questions.map((q) => [q.id, q.kind])).toEqual([
      ['create-the-greeting-file', 'task'],
      ['move-the-app-to-port-8080', 'task'],
      ['run-the-report-tool', 'task'],
    ]);
    const [first, second] = lab.questions;
    expect(first!.prompt).toContain('`echo hello > /root/greeting.txt`');
    expect(first!.prompt).not.toContain('{{exec}}');
    expect(first!.kind === 'task' && first!.check.text).toContain('test -f "$(nodepath /root/greeting.txt)"');
    expect(second!.kind === 'task' && second!.solve[0]!.text).toContain("sed -i 's/^port=80$/port=8080/' /etc/app/app.conf");
    // The step without a verify script is kept, in the intro; the finish text stays a finish text.
    expect(lab.intro).toContain("The app's manual is in `/usr/share/doc/app`.");
    expect(lab.intro).toContain('port 8080 of host01');
    expect(lab.finish).toContain('You configured the app.');
    const node = lab.topology.nodes[0]!;
    expect(node.files).toEqual([
      { path: '/etc/app/app.conf', content: 'name=demo\nport=80\n', mode: '0644' },
      { path: '/usr/local/bin/report.sh', content: expect.stringContaining('report: '), mode: '0755' },
    ]);
    expect(node.setup).toMatch(/^#!\/bin\/bash\n# --- from setup\.sh \(the intro\)/);
    // Step 2's background ran when step 2 opened: it is the setup of a stage that step 1's task
    // unlocks, and step 2's and step 3's tasks belong to it.
    expect(node.setup).not.toContain('step2/background.sh');
    expect(lab.stages).toEqual([
      {
        id: 'step-2',
        title: 'Move the app to port 8080',
        unlock: ['create-the-greeting-file'],
        setup: [{ nodes: ['host01'], source: 'setup/step-2.sh', text: expect.stringMatching(/^#!\/bin\/bash\n# --- from step2\/background\.sh \(step 2\)\necho "the app listens/) }],
      },
    ]);
    expect(lab.questions.map((q) => q.stage ?? null)).toEqual([null, 'step-2', 'step-2']);

    const line = (kind: string, source: string) => r.notes.filter((n) => n.kind === kind && n.source === source).map((n) => n.message);
    expect(line('unmapped', 'index.json')).toEqual([expect.stringContaining('interface.layout "ide"')]);
    expect(line('unmapped', 'foreground.sh')).toEqual([expect.stringContaining('foreground script')]);
    expect(line('unmapped', 'intro.md')).toEqual([expect.stringContaining('{{TRAFFIC_HOST1_8080}}')]);
    expect(line('mapped', 'step2/background.sh')).toEqual([
      'became the setup of stage "step-2", run on "host01" when task "create-the-greeting-file" passes a Check (Killercoda ran it when step 2 opened); step 2\'s task and the later ones belong to that stage',
    ]);
    expect(line('review', 'step4/text.md')).toEqual([expect.stringContaining('no verify script')]);
    const report = await readFile(path.join(out, 'IMPORT-REPORT.md'), 'utf8');
    expect(report).toContain('## Not mapped');
    expect(report).toContain('`step3/verify.sh:2`: `command -v` became `node_command`');
  });

  it('refuses a folder that is not a scenario, and never writes over an existing folder', async () => {
    const out = await outDir('x');
    await expect(importKillercoda(fixture('instruqt/name-and-listener'), out)).rejects.toThrow(/is not a Killercoda scenario: index.json is missing/);
    await expect(stat(out)).rejects.toThrow();
    await expect(importKillercoda(fixture('killercoda/app-config'), fixture('killercoda'))).rejects.toBeInstanceOf(ImportError);
  });

  it('reads {{exec}} commands, inline and fenced, as the solution', () => {
    expect(extractExecCommands('Run `ip a`{{exec}} then\n```\nip r\nip l\n```{{exec interrupt}}\nnot `this`{{copy}}')).toEqual(['ip a', 'ip r\nip l']);
  });
});

describe('importInstruqt', () => {
  it('turns challenges into tasks and a quiz into a choice, with fail-message reasons, and reports clouds and tabs', async () => {
    const out = await outDir('names');
    const r = await importInstruqt(fixture('instruqt/name-and-listener'), out);
    const v = await validateLab(out);
    expect(v.errors).toEqual([]);
    const lab = v.lab!;
    expect(lab).toMatchObject({ title: 'Names and listeners', difficulty: 'easy', timeLimitMinutes: 30 });
    expect(lab.topology.nodes.map((n) => n.name)).toEqual(['server', 'client']);
    expect(lab.questions.map((q) => [q.id, q.kind])).toEqual([
      ['add-host', 'task'],
      ['start-listener', 'task'],
      ['which-file', 'choice'],
    ]);
    const [addHost, listener, quiz] = lab.questions;
    expect(addHost!.kind === 'task' && addHost!.check).toMatchObject({ nodes: ['client'], text: expect.stringContaining('node_getent hosts db.internal') });
    expect(addHost!.kind === 'task' && addHost!.check.text).toContain('fail-message() { fail "$*"; }');
    expect(listener!.kind === 'task' && listener!.check.text).toContain('nodeprocs pgrep -x socat');
    expect(listener!.kind === 'task' && listener!.solve).toEqual([expect.objectContaining({ nodes: ['server'], text: expect.stringContaining('socat TCP-LISTEN:9000') })]);
    expect(quiz!.kind === 'choice' && quiz!.options.filter((o) => o.correct).map((o) => o.text)).toEqual(['/etc/hosts']);
    const server = lab.topology.nodes[0]!;
    expect(server.setup).toContain('# --- from track_scripts/setup-server (the track)');
    expect(server.setup).toContain('# --- from 02-start-listener/setup-server');
    expect(server.setup).toContain('192.168.100.11 client'); // hosts reach each other by name

    const unmapped = r.notes.filter((n) => n.kind === 'unmapped').map((n) => `${n.source}: ${n.message.split(':')[0]}`);
    expect(unmapped).toEqual(
      expect.arrayContaining([
        'config.yml: "gcp_projects" (a cloud account) has no Praxis equivalent',
        'track.yml: "lab_config" (Instruqt platform settings) has no Praxis equivalent',
        '01-add-host/assignment.md: tab "Docs" of type website (web, editor or service tabs)',
        '02-start-listener/assignment.md: tab "Editor" of type code (web, editor or service tabs)',
        'track_scripts/cleanup-server: cleanup script',
        '02-start-listener/cleanup-server: cleanup script',
      ]),
    );
  });
});
