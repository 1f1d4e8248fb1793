// Story 4: staff ask the tipster a question; the tipster signs in with reference and passphrase,
// reads it and answers; staff see the answer on the tip page.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  TEST_MS, fileTip, formAction, launch, newPage, openTip, pathname, staffLogin, submit, text, tipAction,
  tipIdByReference, visit,
} from '../lib/sightline.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function followUpSignIn(page, reference, passphrase) {
  await visit(page, '/follow-up');
  const form = page.locator('form#follow-up-form');
  assert.equal((await form.getAttribute('method'))?.toLowerCase(), 'post', 'form#follow-up-form method');
  assert.equal(await formAction(page, 'form#follow-up-form'), '/follow-up', 'form#follow-up-form action');
  await form.locator('input[name=reference]').fill(reference);
  await form.locator('input[name=passphrase]').fill(passphrase);
  return submit(page, 'form#follow-up-form button:not([type=button]), form#follow-up-form input[type=submit]', '/follow-up');
}

test('a wrong reference and passphrase pair is refused with 401', { timeout: TEST_MS }, async () => {
  const page = await newPage(browser, { js: false, phone: true });
  const response = await followUpSignIn(page, 'ZZZZ-ZZZZ', 'AAAA-BBBB-CCCC-DDDD-EEEE');
  assert.equal(response.status(), 401, `a wrong pair answered HTTP ${response.status()}, expected 401`);
  assert.ok((await text(page, '.form-error')).length > 0, 'no .form-error text');
  assert.equal(await page.locator('form#follow-up-form').count(), 1, 'the follow-up form is not shown again');
});

test('staff ask, the tipster answers, staff read the answer', { timeout: TEST_MS }, async () => {
  const tipster = await newPage(browser, { js: false, phone: true });
  const { reference, passphrase } = await fileTip(tipster, {
    category: 'drugs',
    narrative: 'Someone is selling vapes and pills out of a locker in the B wing at Millbrook High during lunch.',
    site: 'Millbrook High School',
  });
  const id = await tipIdByReference(reference, 'analyst@sheriff.demo');

  const staff = await newPage(browser);
  await staffLogin(staff, 'analyst@sheriff.demo');
  await openTip(staff, id);
  const question = 'Which lunch period does this happen in, and do you know the locker number?';
  await staff.locator('form#ask-form textarea[name=body]').fill(question);
  await tipAction(staff, id, 'form#ask-form', await formAction(staff, 'form#ask-form'));
  assert.ok(
    (await staff.locator('#conversation .message', { hasText: question }).count()) === 1,
    'the question is not in #conversation after asking',
  );
  assert.ok((await text(staff, '.flash')).length > 0, 'no .flash after asking');

  // The tipster, on another day, in a fresh browser.
  const later = await newPage(browser, { js: false, phone: true });
  const signIn = await followUpSignIn(later, reference, passphrase);
  assert.ok([302, 303].includes(signIn.status()), `the right pair answered HTTP ${signIn.status()}, expected a redirect`);
  assert.equal(pathname(later), '/follow-up/tip', `signed in, the tipster is at ${later.url()}`);
  assert.ok((await text(later, '#status')).length > 0, '#status is empty for the tipster');
  const fromStaff = later.locator('.message[data-from="staff"]', { hasText: question });
  assert.equal(await fromStaff.count(), 1, 'the tipster does not see the question as .message[data-from="staff"]');

  const reply = later.locator('form#reply-form');
  assert.equal((await reply.getAttribute('method'))?.toLowerCase(), 'post', 'form#reply-form method');
  assert.equal(await formAction(later, 'form#reply-form'), '/follow-up/messages', 'form#reply-form action');
  assert.equal(await reply.getAttribute('enctype'), 'multipart/form-data', 'form#reply-form enctype');
  assert.equal(await reply.locator('input[type=file][name=attachments]').count(), 1, 'form#reply-form has no attachments input');
  const answer = 'Fourth period lunch. Locker 2117, next to the chemistry lab.';
  await reply.locator('textarea[name=body]').fill(answer);
  const sent = await submit(later, 'form#reply-form button:not([type=button]), form#reply-form input[type=submit]', '/follow-up/messages');
  assert.ok([200, 302, 303].includes(sent.status()), `POST /follow-up/messages answered HTTP ${sent.status()}`);
  assert.equal(await later.locator('.message[data-from="you"]', { hasText: answer }).count(), 1,
    'the answer is not shown to the tipster as .message[data-from="you"]');

  await openTip(staff, id);
  assert.equal(await staff.locator('#conversation .message', { hasText: answer }).count(), 1,
    'staff do not see the answer in #conversation');
});
