// Story 11: alerts a 24/7 desk hears, and deadlines on the server's clock. The analyst turns on
// the sound and desktop alerts; a life-safety tip arrives; the page title, a sound and a desktop
// notification say so. This computer's clock is three hours fast, yet the new tip's countdown
// shows the minutes left by the server's clock, not "overdue".

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

test('a life-safety tip is heard and seen; countdowns keep the server\'s time', { timeout: TEST_MS }, async () => {
  const page = await newPage(browser);
  // The browser's own notification and sound are outside the server: they are watched here.
  await page.addInitScript(() => {
    window.__notes = [];
    window.__beeps = 0;
    function Spy(title, options) { window.__notes.push({ title, tag: options && options.tag }); }
    Spy.permission = 'default';
    Spy.requestPermission = () => { Spy.permission = 'granted'; return Promise.resolve('granted'); };
    window.Notification = Spy;
    const start = OscillatorNode.prototype.start;
    OscillatorNode.prototype.start = function (...args) { window.__beeps += 1; return start.apply(this, args); };
  });
  await staffLogin(page, 'analyst@sheriff.demo');
  await page.clock.setFixedTime(new Date(Date.now() + 3 * 3600 * 1000));
  const stream = page.waitForResponse((r) => new URL(r.url()).pathname === '/staff/events', { timeout: NAV_MS });
  await visit(page, '/staff');
  await stream;

  await page.locator('#alert-settings').waitFor({ state: 'visible', timeout: STEP_MS });
  await page.click('#alert-sound');
  await page.click('#alert-desktop');
  assert.match(await page.locator('#alert-sound').innerText(), /: on$/);
  assert.match(await page.locator('#alert-desktop').innerText(), /: on$/);
  const beepsBefore = await page.evaluate(() => window.__beeps);

  const tipster = await newPage(browser, { js: false, phone: true });
  await fileTip(tipster, {
    category: 'planned_attack',
    narrative: 'He posted that he will shoot people at Millbrook High tomorrow morning with his rifle.',
    site: 'Millbrook High School',
  });

  await page.waitForFunction(() => /LIFE-SAFETY tip/.test(document.title), null, { timeout: STEP_MS }).catch(() => {
    throw new Error('the page title did not announce the life-safety tip');
  });
  const notes = await page.evaluate(() => window.__notes);
  assert.equal(notes.length, 1, `one desktop notification: ${JSON.stringify(notes)}`);
  assert.match(notes[0].title, /life-safety/i);
  assert.ok((await page.evaluate(() => window.__beeps)) > beepsBefore, 'a sound played');

  // The new tip's countdown, by the server's clock: minutes left, though this PC is 3 h ahead.
  const href = await page.locator('#alert a').getAttribute('href');
  const id = href.split('/').pop();
  const countdown = page.locator(`tr[data-id="${id}"] .countdown`);
  await countdown.waitFor({ timeout: STEP_MS });
  await page.waitForFunction((tip) => document.querySelector(`tr[data-id="${tip}"] .countdown`)?.textContent.includes('left'),
    id, { timeout: STEP_MS }).catch(async () => {
    throw new Error(`the countdown shows "${await countdown.innerText()}", not the minutes left`);
  });
  assert.doesNotMatch(await countdown.innerText(), /overdue|\d+ h/);
});
