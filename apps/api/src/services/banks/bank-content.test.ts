import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLab } from '@praxis/labs';
import { BANK_CONTENT_VERSION, readBankContent, readQuestionSpec } from './bank-content';

const LAB_DIR = path.resolve(import.meta.dirname, '../../../../../labs/01-switching-routing');

describe('stored bank content', () => {
  it('reads what the import writes, and refuses another schema version or a damaged row with a sentence', async () => {
    const loaded = await loadLab(LAB_DIR);
    if (!loaded.ok) throw new Error('the course lab does not load');
    const stored = JSON.parse(JSON.stringify({ schemaVersion: BANK_CONTENT_VERSION, labs: [{ ...loaded.lab, dir: '.' }] }));
    expect(readBankContent({ id: 'v-ok', content: stored }).labs[0]!.questions.length).toBe(loaded.lab.questions.length);
    expect(readQuestionSpec({ id: 'q-ok', spec: stored.labs[0].questions[0] }).kind).toBe(loaded.lab.questions[0]!.kind);
    // A task's spoof fixtures are kept (the authoring test from the web runs them); a task stored
    // before fixtures existed reads with none.
    const task = stored.labs[0].questions.find((q: { kind: string }) => q.kind === 'task');
    const read = readQuestionSpec({ id: 'q-task', spec: task });
    expect(read.kind === 'task' && read.spoofs.map((f) => f.id)).toEqual(task.spoofs.map((f: { id: string }) => f.id));
    expect(task.spoofs.length).toBeGreaterThan(0);
    const older = readQuestionSpec({ id: 'q-older', spec: { ...task, spoofs: undefined } });
    expect(older.kind === 'task' && older.spoofs).toEqual([]);

    const refusal = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e as { status: number; code: string; message: string };
      }
      throw new Error('not refused');
    };
    const newer = refusal(() => readBankContent({ id: 'v-new', content: { ...stored, schemaVersion: 2 } }));
    expect(newer).toMatchObject({ status: 500, code: 'BANK_CONTENT_UNREADABLE' });
    expect(newer.message).toMatch(/bank version v-new was stored in a form this server cannot read \(.* at schemaVersion\); re-import the bank/);
    expect(refusal(() => readBankContent({ id: 'v-old', content: { labs: stored.labs } })).code).toBe('BANK_CONTENT_UNREADABLE');
    const noTopology = { ...stored, labs: [{ ...stored.labs[0], topology: undefined }] };
    expect(refusal(() => readBankContent({ id: 'v-broken', content: noTopology })).message).toMatch(/at labs\.0\.topology/);
    expect(refusal(() => readQuestionSpec({ id: 'q-broken', spec: { kind: 'choice', id: 'x' } })).code).toBe('BANK_CONTENT_UNREADABLE');
  });
});
