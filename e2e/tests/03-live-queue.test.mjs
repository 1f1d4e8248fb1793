// Story 3: staff see a tip arrive live. Analysts of the receiving agency have the queue open; a
// life-safety tip appears in it without a reload and raises the alert on every open console of
// that agency, and does not appear in the queue of an agency it was not sent to.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  NAV_MS, STEP_MS, TEST_MS, api, fileTip, launch, newPage, staffLogin, tipIdByReference, visit,
} from '../lib/sightline.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Signs in and opens /staff, resolving once the event stream has answered. */
async function openConsole(email) {
  const page = await newPage(browser);
  await staffLogin(page, email);
  const stream = page.waitForResponse((r) => new URL(r.url()).pathname === '/staff/events', { timeout: NAV_MS });
  await visit(page, '/staff');
  const events = await stream;
  assert.equal(events.status(), 200, `GET /staff/events answered HTTP ${events.status()}`);
  assert.match(events.headers()['content-type'] ?? '', /text\/event-stream/, '/staff/events is not text/event-stream');
  await page.locator('table#queue').waitFor();
  // Survives only if the page is never reloaded.
  await page.evaluate(() => {
    window.__sightlineNoReload = true;
  });
  return page;
}

test('the queue lists rows with tier, link, countdown and overdue marking', { timeout: TEST_MS }, async () => {
  const page = await newPage(browser);
  await staffLogin(page, 'analyst@sheriff.demo');
  const rows = page.locator('table#queue tr.tip-row');
  assert.ok((await rows.count()) > 0, 'the demo queue of the sheriff has no tr.tip-row');
  const info = await rows.evaluateAll((trs) =>
    trs.map((tr) => ({
      id: tr.dataset.id,
      tier: tr.dataset.tier,
      href: tr.querySelector('a.tip-link')?.getAttribute('href'),
      due: tr.querySelector('.countdown')?.dataset.dueMs,
      countdown: tr.querySelector('.countdown')?.textContent.trim(),
      overdue: tr.classList.contains('overdue'),
    })));
  const now = Date.now();
  for (const r of info) {
    assert.match(r.id ?? '', /^\d+$/, `a row has data-id="${r.id}"`);
    assert.ok(['life_safety', 'urgent', 'standard', 'informational'].includes(r.tier), `row ${r.id} has data-tier="${r.tier}"`);
    assert.equal(r.href, `/staff/tips/${r.id}`, `row ${r.id}: a.tip-link href="${r.href}"`);
    if (r.due !== undefined) {
      const due = Number(r.due);
      assert.ok(Number.isFinite(due) && due > 1e12, `row ${r.id}: data-due-ms="${r.due}" is not epoch milliseconds`);
      assert.ok(r.countdown.length > 0, `row ${r.id}: the countdown shows nothing (JavaScript on)`);
      if (due < now - 5_000) assert.ok(r.overdue, `row ${r.id} is past its deadline but lacks class overdue`);
      if (due > now + 5_000) assert.ok(!r.overdue, `row ${r.id} is not yet due but has class overdue`);
    }
  }
  assert.ok(info.some((r) => r.due !== undefined), 'no row has a .countdown[data-due-ms]');
  const order = ['life_safety', 'urgent', 'standard', 'informational'];
  const tiers = info.map((r) => order.indexOf(r.tier));
  assert.deepEqual(tiers, [...tiers].sort((a, b) => a - b), 'the queue is not ordered most urgent tier first');
});

test('a life-safety tip appears live and raises the alert on every console of the receiving agency', { timeout: TEST_MS }, async () => {
  const analyst = await openConsole('analyst@sheriff.demo');
  const supervisor = await openConsole('supervisor@sheriff.demo');
  const elsewhere = await openConsole('analyst@fusion.demo');
  for (const page of [analyst, supervisor]) {
    assert.ok(!(await page.locator('#alert').isVisible()), `#alert is visible on ${page.url()} before any new tip`);
  }

  const tipster = await newPage(browser, { js: false, phone: true });
  const filedAt = Date.now();
  const { reference } = await fileTip(tipster, {
    category: 'planned_attack',
    narrative: "He posted that he will shoot up Millbrook High tomorrow with his dad's rifle.",
    site: 'Millbrook High School',
  });
  const id = await tipIdByReference(reference, 'analyst@sheriff.demo');

  for (const [who, page] of [['analyst@sheriff.demo', analyst], ['supervisor@sheriff.demo', supervisor]]) {
    const row = page.locator(`table#queue tr.tip-row[data-id="${id}"]`);
    await row.waitFor({ timeout: STEP_MS }).catch(() => {
      throw new Error(`tip ${id} did not appear in the open queue of ${who} within ${STEP_MS} ms`);
    });
    assert.equal(await row.getAttribute('data-tier'), 'life_safety', `the new row's data-tier for ${who}`);
    const alert = page.locator('#alert[role=alert]');
    await alert.waitFor({ state: 'visible', timeout: STEP_MS }).catch(() => {
      throw new Error(`#alert[role=alert] did not become visible for ${who}`);
    });
    assert.ok(await page.evaluate(() => window.__sightlineNoReload === true), `the queue of ${who} was reloaded`);
    const due = Number(await row.locator('.countdown').getAttribute('data-due-ms'));
    assert.ok(due > filedAt && due <= Date.now() + 5 * 60_000 + 5_000,
      `the new life-safety row is due at ${new Date(due).toISOString()}, expected within 5 minutes of filing`);
    assert.ok(await row.locator(`a.tip-link[href="/staff/tips/${id}"]`).count(), 'the new row has no a.tip-link');
  }

  // The countdown runs: a 5-minute deadline's time left changes within a few seconds.
  const countdown = analyst.locator(`tr.tip-row[data-id="${id}"] .countdown`);
  const first = (await countdown.innerText()).trim();
  assert.ok(first.length > 0, 'the new row\'s countdown shows nothing');
  await analyst.waitForFunction(
    ([selector, before]) => document.querySelector(selector)?.textContent.trim() !== before,
    [`tr.tip-row[data-id="${id}"] .countdown`, first],
    { timeout: 5_000 },
  ).catch(() => {
    throw new Error(`the countdown of the new row stayed at "${first}" for 5 s`);
  });

  // The fusion centre was not sent this tip: it must not appear there. (Its alert is not checked:
  // an escalation of an unrelated demo tip to the fusion centre may raise one at any time.)
  await elsewhere.waitForTimeout(1_000);
  assert.equal(await elsewhere.locator(`tr.tip-row[data-id="${id}"]`).count(), 0, 'the tip appeared in the fusion centre queue');
});

test('a tip with no site and no location reaches the State Fusion Center', { timeout: TEST_MS }, async () => {
  const tipster = await newPage(browser, { js: false, phone: true });
  const { reference } = await fileTip(tipster, {
    category: 'suspicious_activity',
    narrative: 'A man has been photographing the kids at the bus stop from a parked car for three mornings now.',
  });
  const id = await tipIdByReference(reference, 'analyst@fusion.demo');
  const sheriffQueue = await api('analyst@sheriff.demo', '/api/v1/tips?limit=5000');
  assert.ok(!sheriffQueue.some((t) => t.id === id), 'a tip with no place reached the sheriff');

  const page = await newPage(browser);
  await staffLogin(page, 'analyst@fusion.demo');
  assert.equal(await page.locator(`table#queue tr.tip-row[data-id="${id}"]`).count(), 1, 'the tip is not in the fusion centre queue page');
  await visit(page, `/staff/tips/${id}`);
  assert.match(await page.locator('#routes').innerText(), /State Fusion Center/, '#routes does not name the State Fusion Center');
});
