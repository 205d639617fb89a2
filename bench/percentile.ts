// The percentile both benchmarks report: nearest rank (the smallest sample with at least p% of
// the samples at or below it), so a p99 over 1,000 keystrokes is a keystroke that happened.
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
