// The exam and the main pages on the screens people use: a 1280x800 laptop, a 1024x700 laptop at
// 200 % zoom (a 512x350 CSS viewport at device scale 2, which is what browser zoom gives) and a
// 390x844 phone. The terminal keeps 80 columns where the screen allows and never collapses, the
// question list folds away, the clock and Submit stay reachable, and nothing needs a mouse.
// Screenshots of each land in e2e/screenshots/.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { adminSession, setUpRoutingTest, signInInBrowser, signUpLearnerInBrowser, unique } from '../support/praxis-api';
import { e2eLab } from '../support/lab';
import { snap, terminalColumns } from '../support/web-page';

const SCREENS = [
  { name: '1280x800', viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, narrow: false },
  { name: '1024x700-zoom200', viewport: { width: 512, height: 350 }, deviceScaleFactor: 2, narrow: true },
  { name: '390x844', viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, narrow: true },
] as const;

async function newPage(browser: Browser, screen: (typeof SCREENS)[number], storageState?: Awaited<ReturnType<import('@playwright/test').BrowserContext['storageState']>>): Promise<Page> {
  const context = await browser.newContext({ viewport: screen.viewport, deviceScaleFactor: screen.deviceScaleFactor, storageState });
  return context.newPage();
}

/** Whether the element's box lies inside the window (what a person sees without scrolling). */
async function inView(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((sel) => {
    const r = document.querySelector(sel)!.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth;
  }, selector);
}

test('the exam and the main pages at 1280x800, 1024x700 at 200 % zoom, and 390x844', async ({ browser }, testInfo) => {
  test.setTimeout(300_000);
  const { base, admin: adminAccount } = e2eLab();
  const admin = await adminSession();
  const title = unique('Screens');
  const setup = await setUpRoutingTest(admin, { title, questions: ['list-interfaces', 'route-on-a', 'enable-forwarding'], timeLimitSeconds: 1800 });
  await admin.dispose();

  // The learner starts once on the laptop; the other screens open the same attempt.
  const first = await newPage(browser, SCREENS[0]);
  await first.goto(`${base}/`);
  await signUpLearnerInBrowser(first.request, 'Sam Screens', setup.inviteCode);
  await first.goto(`${base}/#/tests/${setup.testId}/start`);
  await first.reload();
  await first.getByRole('button', { name: 'Start the clock' }).click();
  await expect(first.getByTestId('countdown')).toBeVisible({ timeout: 60_000 });
  const attemptUrl = first.url();
  const learnerState = await first.context().storageState();
  await first.context().close();

  for (const screen of SCREENS) {
    const page = await newPage(browser, screen, learnerState);
    await page.goto(`${base}/`);
    await expect(page.getByRole('heading', { name: 'My tests' })).toBeVisible();
    await snap(page, testInfo, `screen-${screen.name}-home`);

    await page.goto(attemptUrl);
    await expect(page.getByTestId('terminal-status-a')).toContainText('host-a: connected', { timeout: 60_000 });
    // The clock and Submit are in view; the question list is folded away behind its button.
    expect(await inView(page, '[data-testid=countdown]')).toBe(true);
    await expect(page.getByRole('button', { name: 'Submit…' })).toBeInViewport();
    await expect(page.getByRole('navigation', { name: 'Questions' })).toBeHidden();
    await snap(page, testInfo, `screen-${screen.name}-exam`);

    const cols = await terminalColumns(page, 'a');
    if (!screen.narrow) {
      // Side by side: the terminal has 80 columns at least, and the splitter moves by keyboard.
      expect(cols).toBeGreaterThanOrEqual(80);
      const splitter = page.getByRole('separator', { name: 'Resize the question and the terminal' });
      await splitter.focus();
      const before = Number(await splitter.getAttribute('aria-valuenow'));
      await page.keyboard.press('ArrowLeft');
      await expect.poll(async () => Number(await splitter.getAttribute('aria-valuenow'))).toBeLessThan(before);
      await expect.poll(() => terminalColumns(page, 'a')).toBeGreaterThan(cols);
    } else {
      // Stacked: the question, then the terminal below it at full width, never squeezed to nothing.
      const question = await page.locator('section.current').boundingBox();
      const terminal = await page.locator('#terminal-region').boundingBox();
      expect(terminal!.y).toBeGreaterThanOrEqual(question!.y + question!.height - 1);
      expect(terminal!.width).toBeGreaterThan(screen.viewport.width - 20);
      expect(cols).toBeGreaterThanOrEqual(30);
      // Scrolled down to the terminal, the clock and Submit are still in view (a sticky bar).
      await page.locator('#terminal-region').scrollIntoViewIfNeeded();
      await expect(page.getByRole('button', { name: 'Submit…' })).toBeInViewport();
      await snap(page, testInfo, `screen-${screen.name}-exam-terminal`);
      // The tools fold into "More".
      await page.getByRole('button', { name: 'More' }).click();
      await expect(page.getByRole('button', { name: 'Overview' })).toBeVisible();
      await page.getByRole('button', { name: 'Overview' }).click();
      await expect(page.getByRole('dialog', { name: 'Overview' })).toBeVisible();
      await snap(page, testInfo, `screen-${screen.name}-overview`);
      await page.keyboard.press('Escape');
    }
    // The question list opens over the page and takes the learner to a question.
    await page.getByRole('button', { name: /Questions \(1\/3\)/ }).click();
    await expect(page.getByRole('navigation', { name: 'Questions' })).toBeVisible();
    await snap(page, testInfo, `screen-${screen.name}-question-list`);
    await page.getByRole('navigation', { name: 'Questions' }).getByRole('button', { name: /^2/ }).click();
    await expect(page.getByRole('heading', { name: 'Question 2 of 3' })).toBeFocused();
    await expect(page.getByRole('navigation', { name: 'Questions' })).toBeHidden();
    await page.context().close();

    // The staff pages on the same screen.
    const staff = await newPage(browser, screen);
    await signInInBrowser(staff, adminAccount.email, adminAccount.password, `/cohorts/${setup.cohortId}`);
    await expect(staff.getByRole('heading', { name: 'Assign a test' })).toBeVisible();
    await snap(staff, testInfo, `screen-${screen.name}-dashboard`);
    if (screen.narrow) {
      // The links fold behind the menu button.
      await expect(staff.getByRole('navigation', { name: 'Main' })).toBeHidden();
      await staff.getByRole('button', { name: 'Menu' }).click();
    }
    await staff.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tests', exact: true }).click();
    await expect(staff.getByRole('heading', { name: 'Compose a test' })).toBeVisible();
    await snap(staff, testInfo, `screen-${screen.name}-tests`);
    await staff.context().close();
  }
});
