// Story 1: a person files a tip on a phone with JavaScript off, and gets a receipt. A mistake
// brings the form back with the reason and everything they typed.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { TEST_MS, fileTip, fillAndSubmitTip, launch, newPage, pathname, text, visit } from '../lib/sightline.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('the tip form works without JavaScript on a 360×740 phone', { timeout: TEST_MS }, async () => {
  const page = await newPage(browser, { js: false, phone: true });
  await visit(page, '/');
  const form = page.locator('form#tip-form');
  assert.equal((await form.getAttribute('method'))?.toLowerCase(), 'post', 'form#tip-form method');
  // The action may carry the page's language (/tips?lang=en); it must post to /tips.
  const action = (await form.getAttribute('action')) ?? '';
  assert.equal(new URL(action, page.url()).pathname, '/tips', `form#tip-form action="${action}"`);
  assert.equal(await form.getAttribute('enctype'), 'multipart/form-data', 'form#tip-form enctype');

  // Every field the contract names, each with a <label for>.
  const fields = [
    'select[name=category]', 'textarea[name=narrative]', 'select[name=site_id]', 'input[name=location_text]',
    'input[name=subject_name]', 'input[name=subject_age]', 'input[name=subject_school]',
    'input[name=subject_handles]', 'input[name=contact_name]', 'input[name=contact_phone]',
    'input[name=contact_email]', 'input[type=file][name=attachments]',
  ];
  for (const selector of fields) {
    const field = form.locator(selector);
    assert.equal(await field.count(), 1, `form#tip-form has no ${selector}`);
    const id = await field.getAttribute('id');
    assert.ok(id, `${selector} has no id for a <label for>`);
    assert.equal(await page.locator(`label[for="${id}"]`).count(), 1, `${selector} (#${id}) has no <label for="${id}">`);
  }
  const file = form.locator('input[type=file][name=attachments]');
  assert.notEqual(await file.getAttribute('multiple'), null, 'the attachments input is not multiple');
  const categories = await form.locator('select[name=category] option').evaluateAll((os) => os.map((o) => o.value));
  for (const c of ['planned_attack', 'weapon', 'threat', 'self_harm', 'bullying', 'abuse', 'drugs', 'trafficking',
    'suspicious_activity', 'cyber', 'other']) {
    assert.ok(categories.includes(c), `category option ${c} missing (have ${categories.join(', ')})`);
  }
  const sites = await form.locator('select[name=site_id] option').evaluateAll((os) => os.map((o) => [o.value, o.textContent.trim()]));
  assert.equal(sites[0]?.[0], '', 'the first site option must have value "" (no registered site)');
  assert.ok(sites.some(([, label]) => label.includes('Millbrook High School')), 'no "Millbrook High School" site option');
  assert.ok(await page.locator('button#submit-tip').isVisible(), 'button#submit-tip is not visible');

  const { reference, passphrase } = await fileTip(page, {
    category: 'bullying',
    narrative: 'A group of eighth graders keeps shoving a sixth grader into the lockers near the gym every morning.',
    site: 'Jefferson Middle School',
    location_text: 'Hallway by the gym',
    subject_name: 'Chris Lane',
    subject_age: 13,
    subject_school: 'Jefferson Middle School',
    subject_handles: '@chris_l',
    contact_name: 'A parent',
    contact_phone: '+1 312 555 0100',
    contact_email: 'parent@example.org',
  });
  assert.equal(pathname(page), '/tips', 'the receipt is the answer to POST /tips');
  assert.notEqual(reference, passphrase);
  assert.ok((await text(page, '#next-steps')).length > 0, '#next-steps is empty');
});

test('an invalid tip comes back with HTTP 422, the reason by the field, and the values kept', { timeout: TEST_MS }, async () => {
  const page = await newPage(browser, { js: false, phone: true });
  await visit(page, '/');
  const response = await fillAndSubmitTip(page, {
    category: 'threat',
    narrative: '   ',
    site: 'Millbrook High School',
    location_text: 'Parking lot B',
    subject_name: 'Jamie Roe',
    contact_email: 'me@example.org',
    noValidate: true,
  });
  assert.equal(response.status(), 422, `an empty narrative answered HTTP ${response.status()}, expected 422`);
  const error = page.locator('.field-error[data-field="narrative"]');
  assert.equal(await error.count(), 1, 'no .field-error[data-field="narrative"]');
  assert.ok((await error.innerText()).trim().length > 0, 'the narrative error says nothing');
  assert.ok(await error.isVisible(), 'the narrative error is not visible');
  const form = page.locator('form#tip-form');
  assert.equal(await form.count(), 1, 'the form is not shown again');
  assert.equal(await form.locator('select[name=category]').inputValue(), 'threat', 'category not kept');
  assert.equal(await form.locator('input[name=location_text]').inputValue(), 'Parking lot B', 'location_text not kept');
  assert.equal(await form.locator('input[name=subject_name]').inputValue(), 'Jamie Roe', 'subject_name not kept');
  assert.equal(await form.locator('input[name=contact_email]').inputValue(), 'me@example.org', 'contact_email not kept');
  const site = await form.locator('select[name=site_id]').evaluate((s) => s.selectedOptions[0]?.textContent ?? '');
  assert.ok(site.includes('Millbrook High School'), `site not kept (selected: "${site.trim()}")`);
});
