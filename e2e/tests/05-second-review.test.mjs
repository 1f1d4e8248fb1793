// Story 5: closing a tip with a threat factor as "no lead value" takes two people. The analyst
// acknowledges and closes with a reason; the tip waits for review; a supervisor approves; closed.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  TEST_MS, acknowledgeAndCloseNoLead, expectStatus, fileTip, formAction, launch, newPage, openTip, staffLogin,
  tipAction, tipIdByReference,
} from '../lib/sightline.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('no_lead_value on a threat needs a second person with the supervisor role', { timeout: TEST_MS }, async () => {
  const tipster = await newPage(browser, { js: false });
  const { reference } = await fileTip(tipster, {
    category: 'threat',
    narrative: 'In the group chat Riley said he is going to beat up Mr. Alvarez after school on Friday.',
    site: 'Millbrook High School',
  });
  const id = await tipIdByReference(reference, 'analyst@sheriff.demo');

  const analyst = await newPage(browser);
  await staffLogin(analyst, 'analyst@sheriff.demo');
  await openTip(analyst, id);
  for (const section of ['#narrative', '#factors', '#rule', '#routes', '#timeline', '#conversation', '#linked-tips']) {
    assert.equal(await analyst.locator(section).count(), 1, `the tip page has no ${section}`);
  }
  assert.ok((await analyst.locator('#narrative mark.evidence').count()) > 0, 'no mark.evidence in #narrative of a threat tip');
  for (const form of ['#ack-form', '#ask-form', '#close-form', '#tier-form', '#assign-form', '#transfer-form']) {
    assert.equal(await analyst.locator(`form${form}`).count(), 1, `the tip page has no form${form}`);
    assert.equal(await analyst.locator(`form${form} input[type=hidden][name=csrf]`).count(), 1, `form${form} has no csrf input`);
  }

  await acknowledgeAndCloseNoLead(
    analyst, id, 'Spoke with the teacher and the student; it was said about a video game match, no intent.');

  const supervisor = await newPage(browser);
  await staffLogin(supervisor, 'supervisor@sheriff.demo');
  await openTip(supervisor, id);
  const review = supervisor.locator('form#review-form');
  assert.equal(await review.count(), 1, 'no form#review-form for the supervisor while awaiting review');
  assert.equal(await review.locator('button[name=approve][value=true]').count(), 1, 'no approve button');
  assert.equal(await review.locator('button[name=approve][value=false]').count(), 1, 'no send-back button');
  await review.locator('textarea[name=reason]').fill('Agree: the context shows no intent; the teacher was informed.');
  await tipAction(supervisor, id, 'form#review-form', await formAction(supervisor, 'form#review-form'),
    'form#review-form button[name=approve][value=true]');
  await expectStatus(supervisor, 'closed', 'after the supervisor approved');
  assert.ok((await supervisor.locator('#timeline').innerText()).length > 0, '#timeline is empty');
});

test('a supervisor cannot approve their own close', { timeout: TEST_MS }, async () => {
  const tipster = await newPage(browser, { js: false });
  const { reference } = await fileTip(tipster, {
    category: 'threat',
    narrative: 'Casey wrote on Instagram that she will hurt her ex at the game on Saturday.',
    site: 'Millbrook High School',
  });
  const id = await tipIdByReference(reference, 'supervisor@sheriff.demo');
  const supervisor = await newPage(browser);
  await staffLogin(supervisor, 'supervisor@sheriff.demo');
  await openTip(supervisor, id);
  await acknowledgeAndCloseNoLead(supervisor, id, 'Old post, already handled by the school.');
  // The second person must be another person: no review form, or a review that changes nothing.
  const review = supervisor.locator('form#review-form');
  if ((await review.count()) > 0) {
    await review.locator('textarea[name=reason]').fill('Approving my own close.');
    await Promise.all([supervisor.waitForEvent('load'), review.locator('button[name=approve][value=true]').click()]);
    await openTip(supervisor, id);
  }
  await expectStatus(supervisor, 'awaiting_review', 'after the supervisor tried to approve their own close');
});
