// The authoring test's report as a plain-text table for a terminal.
import path from 'node:path';
import { formatLabIssue } from '@praxis/labs';
import type { LabTestReport } from './test-lab';

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export interface FormatLabTestOptions {
  /** Also print, under each task, what the learner reads on fresh machines and after the solutions. */
  verbose?: boolean;
}

export function formatLabTestReport(report: LabTestReport, base = process.cwd(), options: FormatLabTestOptions = {}): string {
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
  const alone = report.isolatedMs !== undefined;
  const header = ['', '#', 'question', 'kind', 'fresh', 'solved', ...(alone ? ['alone'] : []), 'spoofs', 'answer', 'time', 'detail'];
  const rows = report.rows.map((r) => [
    r.ok ? '✓' : '✗',
    String(report.rows.indexOf(r) + 1),
    r.questionId,
    r.kind,
    r.fresh ?? '-',
    r.solved ?? '-',
    ...(alone ? [r.alone ?? '-'] : []),
    r.spoofs ? `${r.spoofs.filter((s) => s.result === 'held').length}/${r.spoofs.length} held` : '-',
    r.answer ?? '-',
    `${r.durationMs} ms`,
    [r.detail, ...r.warnings.map((w) => `warning: ${w}`)].filter(Boolean).join('; '),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  widths[widths.length - 1] = 0;
  lines.push(`  ${header.map((cell, c) => pad(cell, widths[c]!)).join('  ').trimEnd()}`);
  rows.forEach((cells, i) => {
    lines.push(`  ${cells.map((cell, c) => pad(cell, widths[c]!)).join('  ').trimEnd()}`);
    const r = report.rows[i]!;
    if (!options.verbose || r.kind !== 'task') return;
    // The learner's words, as the exam page would show them.
    for (const reason of r.freshReasons ?? []) lines.push(`      fresh:  ${reason}`);
    if (r.fresh === 'failed' && !(r.freshReasons ?? []).length) lines.push('      fresh:  (no reason given)');
    for (const reason of r.solvedReasons ?? []) lines.push(`      solved: ${reason}`);
  });
  if (alone) lines.push(`  each task alone: ${secs(report.isolatedMs!)}`);
  const warnings = report.rows.reduce((n, r) => n + r.warnings.length, 0);
  if (warnings) lines.push(`  ${warnings} warning${warnings === 1 ? '' : 's'}`);
  if (report.keptInstanceId) {
    lines.push(`  kept instance ${report.keptInstanceId}: npx praxis lab grade ${report.keptInstanceId} ${path.relative(base, report.dir) || '.'}   (remove: npx praxis sandbox down ${report.keptInstanceId})`);
  }
  const spoofs = report.rows.flatMap((r) => r.spoofs ?? []);
  if (spoofs.length && report.fakedPoints) {
    const fooled = spoofs.filter((s) => s.result === 'fooled').length;
    lines.push(
      `  spoof fixtures: ${spoofs.length} in ${secs(report.spoofMs)}, ${fooled} fooled a check (a cheater could fake ${report.fakedPoints.faked} of ${report.fakedPoints.of} task points)`,
    );
  }
  return lines.join('\n');
}
