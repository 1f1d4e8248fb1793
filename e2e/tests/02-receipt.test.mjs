// Story 2: the receipt. The reference and passphrase are shown and can be saved as a text file;
// a tip about self-harm puts the crisis lines first.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { STEP_MS, TEST_MS, fileTip, launch, newPage, text, visit } from '../lib/sightline.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function crisisBox(page) {
  const box = page.locator('#crisis-resources');
  assert.equal(await box.count(), 1, 'no #crisis-resources on the page');
  const words = await box.innerText();
  assert.match(words, /911/, '#crisis-resources does not give 911');
  assert.match(words, /988/, '#crisis-resources does not give 988');
  return box;
}

test('every public page shows the crisis lines', { timeout: TEST_MS }, async () => {
  const page = await newPage(browser);
  for (const url of ['/', '/follow-up']) {
    await visit(page, url);
    await crisisBox(page);
  }
});

test('the receipt shows reference and passphrase, saves them as .txt, and puts crisis lines first for self-harm', { timeout: TEST_MS }, async () => {
  const page = await newPage(browser);
  const { reference, passphrase } = await fileTip(page, {
    category: 'self_harm',
    narrative: 'My friend Sam posted tonight that she wants to kill herself and gave away her things. She said goodbye to everyone.',
  });
  assert.ok(await page.locator('#reference').isVisible(), '#reference is not visible');
  assert.ok(await page.locator('#passphrase').isVisible(), '#passphrase is not visible');
  assert.ok((await text(page, '#next-steps')).length > 0, '#next-steps is empty');

  const box = await crisisBox(page);
  const classes = (await box.getAttribute('class')) ?? '';
  assert.ok(classes.split(/\s+/).includes('prominent'), `#crisis-resources class="${classes}" lacks "prominent" on a self_harm receipt`);
  assert.ok(await box.isVisible(), '#crisis-resources is not visible');

  const save = page.locator('a#save-receipt');
  assert.equal(await save.count(), 1, 'no a#save-receipt');
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: STEP_MS }), save.click()]);
  assert.match(download.suggestedFilename(), /\.txt$/, `the saved receipt is named ${download.suggestedFilename()}`);
  const saved = await readFile(await download.path(), 'utf8');
  assert.ok(saved.includes(reference), `the saved receipt lacks the reference ${reference}:\n${saved}`);
  assert.ok(saved.includes(passphrase), `the saved receipt lacks the passphrase:\n${saved}`);
});

test('a low-urgency receipt keeps the crisis lines, not prominent', { timeout: TEST_MS }, async () => {
  const page = await newPage(browser);
  await fileTip(page, {
    category: 'other',
    narrative: 'The crosswalk light on Oak Street near the middle school has been broken for a week.',
  });
  const box = await crisisBox(page);
  const classes = (await box.getAttribute('class')) ?? '';
  assert.ok(!classes.split(/\s+/).includes('prominent'), `#crisis-resources is prominent on a low-urgency receipt (class="${classes}")`);
});
