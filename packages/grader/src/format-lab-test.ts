// The authoring test's report as a plain-text table for a terminal.
import path from 'node:path';
import { formatLabIssue } from '@praxis/labs';
import type { LabTestReport } from './test-lab';

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function formatLabTestReport(report: LabTestReport, base = process.cwd()): string {
  const rel = path.relative(base, report.dir);
  const name = report.labId || (rel && !rel.startsWith('..') ? rel : report.dir);
  const lines: string[] = [];
  if (report.errors.length) {
    lines.push(`✗ ${name}: invalid lab (${report.errors.length} error${report.errors.length === 1 ? '' : 's'})`);
    for (const e of report.errors) lines.push(`    ${formatLabIssue(report.dir, e, base)}`);
    return lines.join('\n');
  }
  const mark = report.ok ? '✓' : '✗';
  lines.push(`${mark} ${name}: ${report.rows.length} questions, provisioned in ${secs(report.provisionMs)}, total ${secs(report.durationMs)}`);
  if (report.failure) lines.push(`    FAILED: ${report.failure}`);
  const header = ['', '#', 'question', 'kind', 'fresh', 'solved', 'spoofs', 'answer', 'time', 'detail'];
  const rows = report.rows.map((r, i) => [
    r.ok ? '✓' : '✗',
    String(i + 1),
    r.questionId,
    r.kind,
    r.fresh ?? '-',
    r.solved ?? '-',
    r.spoofs ? `${r.spoofs.filter((s) => s.result === 'held').length}/${r.spoofs.length} held` : '-',
    r.answer ?? '-',
    `${r.durationMs} ms`,
    r.detail,
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  widths[widths.length - 1] = 0;
  for (const r of [header, ...rows]) lines.push(`  ${r.map((cell, c) => pad(cell, widths[c]!)).join('  ').trimEnd()}`);
  const spoofs = report.rows.flatMap((r) => r.spoofs ?? []);
  if (spoofs.length && report.fakedPoints) {
    const fooled = spoofs.filter((s) => s.result === 'fooled').length;
    lines.push(
      `  spoof fixtures: ${spoofs.length} in ${secs(report.spoofMs)}, ${fooled} fooled a check (a cheater could fake ${report.fakedPoints.faked} of ${report.fakedPoints.of} task points)`,
    );
  }
  return lines.join('\n');
}
