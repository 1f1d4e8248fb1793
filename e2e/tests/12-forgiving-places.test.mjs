// Story 12: a scared teenager on a cheap phone, without JavaScript, types the school's name
// loosely — a typo, the words in another order — and the tip reaches that school; a place
// nobody registered is still read, and the receipt says by whom; a form with several mistakes
// in Spanish lists every one of them in Spanish.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { TEST_MS, launch, newPage, submit, visit } from '../lib/sightline.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function fileWithPlace(page, place) {
  await visit(page, '/');
  const form = page.locator('form#tip-form');
  await form.locator('select[name=category]').selectOption('threat');
  await form.locator('textarea[name=narrative]').fill('A boy in my class said he will bring a knife on Monday to get back at the kids who tease him.');
  await form.locator('input[name=site_name]').fill(place);
  return submit(page, 'button#submit-tip', '/tips');
}

test('a school typed loosely is found; an unknown place is read all the same', { timeout: TEST_MS }, async () => {
  for (const phone of [true, false]) {
    const page = await newPage(browser, { js: false, phone });
    const found = await fileWithPlace(page, 'elementary cedar crek');
    assert.equal(found.status(), 200, 'a receipt');
    await page.locator('#reference').waitFor();
    assert.equal(await page.locator('#unmatched-place').count(), 0, 'the school was found: nothing to explain');

    const unknown = await fileWithPlace(page, 'Lincoln Academy');
    assert.equal(unknown.status(), 200, 'a receipt, though no registered place matched');
    const notice = await page.locator('#unmatched-place').innerText();
    assert.match(notice, /Lincoln Academy/);
    assert.match(notice, /State Fusion Center/, `the receipt says who reads it: ${notice}`);
    await page.context().close();
  }
});

test('every mistake at once, in Spanish', { timeout: TEST_MS }, async () => {
  const page = await newPage(browser, { js: false, phone: true });
  await visit(page, '/?lang=es');
  const form = page.locator('form#tip-form');
  await form.locator('input[name=subject_age]').fill('doce');
  await page.evaluate(() => { document.querySelector('form#tip-form').noValidate = true; });
  const response = await submit(page, 'button#submit-tip', '/tips');
  assert.equal(response.status(), 422);
  const errors = await page.locator('.field-error').allInnerTexts();
  assert.ok(errors.length >= 3, `every mistake is listed: ${JSON.stringify(errors)}`);
  const text = errors.join('\n');
  for (const words of ['elija de qué se trata', 'no puede estar vacío', 'debe ser un número']) {
    assert.ok(text.includes(words), `"${words}" in ${JSON.stringify(errors)}`);
  }
  assert.doesNotMatch(text, /must|planned_attack/, 'no English, no codes');
});
