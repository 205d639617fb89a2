// The accessibility scan of a page as it is on screen (axe-core through @axe-core/playwright,
// WCAG 2.1 A and AA rules): a test fails on any serious or critical violation, and the message
// lists each one with the elements it found, so the fix is obvious.
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

export async function expectAccessible(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(results.passes.length, `axe ran no rule on ${what}`).toBeGreaterThan(10);
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = serious.map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(0, 3).join(' ')}`).join('\n')}`).join('\n');
  expect(serious, `axe on ${what}:\n${report}`).toEqual([]);
}
