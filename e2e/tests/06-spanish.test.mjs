// Story 6: the public pages in Spanish. ?lang=es switches the page (and a cookie remembers it);
// a tip filed in Spanish gets a Spanish receipt.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { TEST_MS, fileTip, launch, newPage, spanishScore, text, visit } from '../lib/sightline.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function lang(page) {
  return page.locator('html').getAttribute('lang');
}

async function labels(page) {
  return (await page.locator('form#tip-form label').allInnerTexts()).join('\n');
}

test('the language switch: ?lang=es, remembered, and back with ?lang=en', { timeout: TEST_MS }, async () => {
  const page = await newPage(browser, { js: false, phone: true });
  await visit(page, '/');
  assert.equal(await lang(page), 'en', '<html lang> of / by default');
  const english = await labels(page);
  const englishButton = await text(page, 'button#submit-tip');
  const toSpanish = page.locator('a[hreflang="es"]');
  assert.equal(await toSpanish.count(), 1, 'no a[hreflang="es"] on the English page');
  assert.match((await toSpanish.getAttribute('href')) ?? '', /[?&]lang=es\b/, 'the Spanish link does not add ?lang=es');

  await Promise.all([page.waitForEvent('load'), toSpanish.click()]);
  assert.equal(await lang(page), 'es', '<html lang> after choosing Spanish');
  const spanish = await labels(page);
  assert.notEqual(spanish, english, 'the labels did not change language');
  assert.ok(spanishScore(spanish) > 0, `the labels do not read as Spanish:\n${spanish}`);
  assert.notEqual(await text(page, 'button#submit-tip'), englishButton, 'the submit button did not change language');
  assert.ok(spanishScore(await text(page, '#crisis-resources')) > 0, '#crisis-resources is not in Spanish');

  // Remembered: another page without ?lang is Spanish too.
  await visit(page, '/follow-up');
  assert.equal(await lang(page), 'es', '/follow-up after choosing Spanish (the cookie should remember it)');
  const toEnglish = page.locator('a[hreflang="en"]');
  assert.equal(await toEnglish.count(), 1, 'no a[hreflang="en"] on the Spanish page');
  assert.match((await toEnglish.getAttribute('href')) ?? '', /[?&]lang=en\b/, 'the English link does not add ?lang=en');
  await Promise.all([page.waitForEvent('load'), toEnglish.click()]);
  assert.equal(await lang(page), 'en', '<html lang> after choosing English');
  await visit(page, '/');
  assert.equal(await lang(page), 'en', '/ after choosing English on /follow-up (is the ?lang=en choice remembered in the cookie there?)');
});

test('a tip filed in Spanish gets a Spanish receipt', { timeout: TEST_MS }, async () => {
  const page = await newPage(browser, { js: false, phone: true });
  await fileTip(page, {
    category: 'weapon',
    narrative: 'Un estudiante de Jefferson dijo que mañana va a traer una navaja en la mochila para amenazar a otro chico.',
    site: 'Jefferson Middle School',
    location_text: 'Entrada principal',
  }, { lang: 'es' });
  assert.equal(await lang(page), 'es', '<html lang> of the receipt');
  const nextSteps = await text(page, '#next-steps');
  assert.ok(spanishScore(nextSteps) > 0, `#next-steps is not in Spanish:\n${nextSteps}`);
  const body = await page.locator('body').innerText();
  assert.ok(spanishScore(body) > 0, `the receipt does not read as Spanish:\n${body.slice(0, 600)}`);
});
