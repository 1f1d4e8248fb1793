// Story 10: a console whose session has ended says so. The analyst's queue is open; the session
// ends (here: signed out from another tab, as an idle timeout would end it); when the next tip
// arrives, the page does not put the sign-in page inside the queue table but says plainly that
// the session ended, with a link to sign in again.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { NAV_MS, STEP_MS, TEST_MS, fileTip, launch, newPage, staffLogin, visit } from '../lib/sightline.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('an ended session is said plainly, not shown inside the queue', { timeout: TEST_MS }, async () => {
  const page = await newPage(browser);
  await staffLogin(page, 'analyst@sheriff.demo');
  const stream = page.waitForResponse((r) => new URL(r.url()).pathname === '/staff/events', { timeout: NAV_MS });
  await visit(page, '/staff');
  await stream;
  await page.locator('table#queue').waitFor();

  // Signed out from elsewhere (the same cookie, another tab): the session is gone.
  const out = await page.context().request.post('/staff/logout', { maxRedirects: 0 });
  assert.ok([200, 302, 303].includes(out.status()), `POST /staff/logout answered HTTP ${out.status()}`);

  const tipster = await newPage(browser, { js: false, phone: true });
  await fileTip(tipster, {
    category: 'planned_attack',
    narrative: 'He says he will bring a gun to Millbrook High on Monday and shoot the teachers.',
    site: 'Millbrook High School',
  });

  const alert = page.locator('#alert[role=alert]');
  await page.waitForFunction(() => /session has ended/.test(document.getElementById('alert')?.textContent ?? ''),
    null, { timeout: STEP_MS }).catch(() => {
    throw new Error('the console did not say the session ended');
  });
  assert.ok(await alert.locator('a[href="/staff/login"]').count(), 'no link to sign in again');
  const table = await page.locator('table#queue').innerText();
  assert.ok(!/password/i.test(table), 'the sign-in page was put inside the queue table');
});
