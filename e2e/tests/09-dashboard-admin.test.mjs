// The supervisor's dashboard and its CSV export, administration, and the staff pages' door.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { TEST_MS, launch, newPage, pathname, staffLogin, visit } from '../lib/sightline.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('staff pages need a sign-in', { timeout: TEST_MS }, async () => {
  const page = await newPage(browser);
  for (const url of ['/staff', '/staff/dashboard', '/staff/admin', '/staff/tips/1', '/staff/queue.csv', '/staff/events']) {
    const response = await page.context().request.get(url, { maxRedirects: 0 });
    const status = response.status();
    const location = response.headers().location ?? '';
    assert.ok(
      ([302, 303, 307].includes(status) && location.includes('/staff/login')) || [401, 403].includes(status),
      `GET ${url} without signing in answered HTTP ${status} ${location}, expected a redirect to /staff/login or 401/403`,
    );
  }
});

test('a wrong password is refused', { timeout: TEST_MS }, async () => {
  const page = await newPage(browser, { js: false });
  await visit(page, '/staff/login');
  await page.locator('form#login-form input[name=email]').fill('analyst@sheriff.demo');
  await page.locator('form#login-form input[name=password]').fill('not-the-password');
  await Promise.all([page.waitForEvent('load'), page.locator('form#login-form button[type=submit]').click()]);
  assert.notEqual(pathname(page), '/staff', 'a wrong password signed in');
  assert.equal(await page.locator('form#login-form').count(), 1, 'the login form is not shown again');
});

test('the supervisor dashboard and the queue export', { timeout: TEST_MS }, async () => {
  const page = await newPage(browser);
  await staffLogin(page, 'supervisor@sheriff.demo');
  await visit(page, '/staff/dashboard');
  for (const selector of ['#by-tier', '#breached', 'svg#ack-chart', '#awaiting-review', 'a#export-csv']) {
    assert.equal(await page.locator(selector).count(), 1, `the dashboard has no ${selector}`);
  }
  const byTier = await page.locator('#by-tier').innerText();
  assert.match(byTier, /\d/, '#by-tier shows no numbers');
  const href = await page.locator('a#export-csv').getAttribute('href');
  assert.equal(new URL(href, page.url()).pathname, '/staff/queue.csv', 'a#export-csv href');
  const csv = await page.context().request.get(href);
  assert.equal(csv.status(), 200, `GET ${href}: HTTP ${csv.status()}`);
  assert.match(csv.headers()['content-type'] ?? '', /text\/csv/, 'the export is not text/csv');
  const lines = (await csv.text()).trim().split(/\r?\n/);
  assert.ok(lines.length >= 2, 'the export has no rows');
  assert.ok(lines[0].includes(','), `the export's first line is not a CSV header: ${lines[0]}`);
});

test('administration lists agencies, sites and the users (of the admin\'s own agency)', { timeout: TEST_MS }, async () => {
  const page = await newPage(browser);
  await staffLogin(page, 'admin@fusion.demo');
  await visit(page, '/staff/admin');
  const body = await page.locator('body').innerText();
  for (const expected of ["Harlan County Sheriff's Office", 'State Fusion Center', 'Millbrook High School',
    'Cedar Creek Elementary', 'analyst@fusion.demo', 'supervisor@fusion.demo']) {
    assert.ok(body.includes(expected), `/staff/admin does not list ${expected}`);
  }
});
