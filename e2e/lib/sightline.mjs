// Shared helpers for the browser tests: the server under test, Chromium, and the steps a person
// takes on Sightline's pages (file a tip, sign in as staff, act on a tip, follow up).
//
// `cargo xtask e2e` starts the server and sets SIGHTLINE_BASE_URL and SIGHTLINE_LOGINS (a JSON
// array of {email, roles, password, token}); SIGHTLINE_CHROMIUM and SIGHTLINE_SCREENSHOTS are
// optional.

import { totp } from './totp.mjs';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const BASE_URL = (process.env.SIGHTLINE_BASE_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
export const LOGINS = JSON.parse(process.env.SIGHTLINE_LOGINS ?? '[]');
export const CHROMIUM = process.env.SIGHTLINE_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS =
  process.env.SIGHTLINE_SCREENSHOTS ??
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'artifacts', 'screenshots');

export const PHONE = { width: 360, height: 740 };
export const DESKTOP = { width: 1280, height: 800 };
/** Longest wait for one step (a click, a fill, an element to appear). */
export const STEP_MS = 15_000;
/** Longest wait for a page to load. */
export const NAV_MS = 30_000;
/** Longest a whole test may take. */
export const TEST_MS = 180_000;

export const CATEGORIES = [
  'planned_attack', 'weapon', 'threat', 'self_harm', 'bullying', 'abuse', 'drugs', 'trafficking',
  'suspicious_activity', 'cyber', 'other',
];

/** The demo login for `email`, or a clear failure naming what the server printed. */
export function login(email) {
  const l = LOGINS.find((l) => l.email === email);
  assert.ok(l, `no demo login ${email} (the server printed: ${LOGINS.map((l) => l.email).join(', ') || 'none'})`);
  return l;
}

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: NAV_MS,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--disable-quic', '--no-first-run', '--disable-dev-shm-usage',
    ],
  });
}

/** A fresh browser profile (its own cookies) at phone or desktop size. */
export async function newContext(browser, { js = true, phone = false } = {}) {
  const context = await browser.newContext({
    baseURL: BASE_URL,
    javaScriptEnabled: js,
    viewport: phone ? PHONE : DESKTOP,
    locale: 'en-US',
    acceptDownloads: true,
  });
  context.setDefaultTimeout(STEP_MS);
  context.setDefaultNavigationTimeout(NAV_MS);
  return context;
}

export async function newPage(browser, options) {
  const context = await newContext(browser, options);
  return context.newPage();
}

/** Loads `url` and checks the HTTP status. */
export async function visit(page, url, status = 200) {
  const response = await page.goto(url);
  assert.ok(response, `no response for ${url}`);
  assert.equal(response.status(), status, `GET ${url}: HTTP ${response.status()}, expected ${status}`);
  return response;
}

/**
 * Clicks `button` (which submits a form by POST to `postPath`) and waits for the next page to
 * load. Returns the response to the POST itself (a 303 when the server redirects).
 */
export async function submit(page, button, postPath) {
  const [response] = await Promise.all([
    page.waitForResponse(
      (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === postPath,
      { timeout: NAV_MS },
    ),
    page.waitForEvent('load', { timeout: NAV_MS }),
    page.locator(button).first().click(),
  ]);
  return response;
}

/** The trimmed text of the one element `selector` matches. */
export async function text(page, selector) {
  return (await page.locator(selector).innerText()).trim();
}

export function pathname(page) {
  return new URL(page.url()).pathname;
}

/** The value of the site option whose label contains `name`. */
export async function siteValue(page, name) {
  const option = page.locator('select[name=site_id] option', { hasText: name });
  assert.ok((await option.count()) >= 1, `no site option containing "${name}" in select[name=site_id]`);
  return option.first().getAttribute('value');
}

/**
 * Fills the tip form on the current page (`/`, any language) and submits it.
 * `tip`: {category, narrative, site?, location_text?, subject_name?, subject_age?, subject_school?,
 * subject_handles?, contact_name?, contact_phone?, contact_email?, files?, noValidate?}.
 * Returns the POST's response.
 */
export async function fillAndSubmitTip(page, tip) {
  const form = page.locator('form#tip-form');
  await form.waitFor();
  await form.locator('select[name=category]').selectOption(tip.category);
  await form.locator('textarea[name=narrative]').fill(tip.narrative);
  if (tip.site) await form.locator('select[name=site_id]').selectOption(await siteValue(page, tip.site));
  for (const field of [
    'location_text', 'subject_name', 'subject_age', 'subject_school', 'subject_handles',
    'contact_name', 'contact_phone', 'contact_email',
  ]) {
    if (tip[field] !== undefined) await form.locator(`input[name=${field}]`).fill(String(tip[field]));
  }
  if (tip.files) await form.locator('input[type=file][name=attachments]').setInputFiles(tip.files);
  if (tip.noValidate) {
    // Lets the server's own validation answer (the browser would stop an empty required field).
    await page.evaluate(() => {
      document.querySelector('form#tip-form').noValidate = true;
    });
  }
  return submit(page, 'button#submit-tip', '/tips');
}

/**
 * Opens the tip form, files `tip`, and checks the receipt page: HTTP 200 (not a redirect),
 * `#reference` and `#passphrase`. Returns {reference, passphrase, response}.
 */
export async function fileTip(page, tip, { lang } = {}) {
  await visit(page, lang ? `/?lang=${lang}` : '/');
  const response = await fillAndSubmitTip(page, tip);
  assert.equal(
    response.status(), 200,
    `POST /tips answered HTTP ${response.status()} (${response.headers().location ?? 'no location'}); ` +
      `the receipt must be a 200 page, not a redirect. Page: ${(await page.locator('body').innerText()).slice(0, 500)}`,
  );
  const reference = await text(page, '#reference');
  const passphrase = await text(page, '#passphrase');
  assert.match(reference, /\w{3,}/, '#reference is empty');
  assert.match(passphrase, /\w{3,}/, '#passphrase is empty');
  return { reference, passphrase, response };
}

/** Signs a staff member in through /staff/login; ends on /staff. */
export async function staffLogin(page, email) {
  const { password } = login(email);
  await visit(page, '/staff/login');
  const form = page.locator('form#login-form');
  await form.locator('input[name=email]').fill(email);
  await form.locator('input[name=password]').fill(password);
  const response = await submit(page, 'form#login-form button[type=submit]', '/staff/login');
  assert.ok(
    [302, 303].includes(response.status()),
    `POST /staff/login answered HTTP ${response.status()}, expected a redirect to the second factor`,
  );
  // The second factor: the code an authenticator app would show for the demo key.
  assert.equal(pathname(page), '/staff/mfa', `after the password the browser is at ${page.url()}, expected /staff/mfa`);
  const { totp: key } = login(email);
  assert.ok(key, `the demo login ${email} has no TOTP key`);
  await page.locator('form#mfa-form input[name=code]').fill(await freshCode(email, key));
  await submit(page, 'form#mfa-form button[type=submit]', '/staff/mfa');
  assert.equal(pathname(page), '/staff', `after signing in the browser is at ${page.url()}, expected /staff`);
}

// The server takes each TOTP code once per user: the steps used so far, shared by the test
// files (each its own process) in a file per server.
const STEPS_FILE = path.join(os.tmpdir(), `sightline-e2e-totp-${new URL(BASE_URL).port}.json`);

/** A code the server has not seen for `email`: this step's, the next (one step of drift is
 * accepted), or after waiting for a later one. */
async function freshCode(email, key) {
  let used = {};
  try {
    used = JSON.parse(readFileSync(STEPS_FILE, 'utf8'));
  } catch {}
  const now = Math.floor(Date.now() / 30_000);
  const step = Math.max(now, (used[email] ?? -1) + 1);
  if (step > now + 1) await new Promise((r) => setTimeout(r, (step - 1) * 30_000 - Date.now() + 500));
  used[email] = step;
  writeFileSync(STEPS_FILE, JSON.stringify(used));
  return totp(key, step * 30_000);
}

/** The staff API (bearer token of a demo login): used only to find a tip's id by its reference. */
export async function api(email, urlPath) {
  const response = await fetch(BASE_URL + urlPath, {
    headers: { authorization: `Bearer ${login(email).token}` },
    signal: AbortSignal.timeout(STEP_MS),
  });
  assert.equal(response.status, 200, `GET ${urlPath} as ${email}: HTTP ${response.status}`);
  return response.json();
}

export async function tipIdByReference(reference, email = 'analyst@sheriff.demo') {
  const queue = await api(email, '/api/v1/tips?limit=5000');
  const tip = queue.find((t) => t.reference === reference);
  assert.ok(tip, `tip ${reference} is not in the queue of ${email}`);
  return tip.id;
}

/** Opens a staff tip page. */
export async function openTip(page, id) {
  await visit(page, `/staff/tips/${id}`);
  await page.locator('#status').waitFor();
}

/**
 * Submits one of the tip page's action forms (by clicking `button`, default its submit button)
 * and checks that the server redirected back to the tip page.
 */
export async function tipAction(page, id, form, action, button) {
  const formLocator = page.locator(form);
  await formLocator.waitFor();
  const csrf = formLocator.locator('input[type=hidden][name=csrf]');
  assert.equal(await csrf.count(), 1, `${form} has no hidden input[name=csrf]`);
  const clicked =
    button ?? `${form} button:not([type=button]):not([type=reset]):not([name=approve]), ${form} input[type=submit]`;
  const response = await submit(page, clicked, action);
  assert.ok(
    [302, 303].includes(response.status()),
    `POST ${action} answered HTTP ${response.status()}, expected a redirect back to the tip page. ` +
      `Page: ${(await page.locator('body').innerText()).slice(0, 400)}`,
  );
  assert.equal(pathname(page), `/staff/tips/${id}`, `after POST ${action} the browser is at ${page.url()}`);
}

/** The action path a form posts to (its `action` attribute, resolved). */
export async function formAction(page, form) {
  const action = await page.locator(form).getAttribute('action');
  assert.ok(action, `${form} has no action attribute`);
  return new URL(action, page.url()).pathname;
}

/** Checks that `#status` is the status `code` (e.g. awaiting_review): its `data-status`, since
 * the page shows the status in words. */
export async function expectStatus(page, code, when) {
  const status = page.locator('#status');
  await status.waitFor();
  const shown = await status.getAttribute('data-status');
  if (shown === code) return;
  const words = await status.innerText();
  const flash = await page.locator('.flash').allInnerTexts();
  assert.fail(`#status ${when} is "${shown}" ("${words}"), expected "${code}" (flash: ${JSON.stringify(flash)})`);
}

/** Rough language check: above 0 when Spanish (function words, accents, ¿ ¡) outweighs English. */
export function spanishScore(s) {
  const words = s.toLowerCase().match(/[\p{L}]+/gu) ?? [];
  const es = new Set(['el', 'la', 'los', 'las', 'de', 'del', 'que', 'y', 'en', 'un', 'una', 'para', 'por', 'su',
    'es', 'está', 'usted', 'no', 'con', 'si', 'sí', 'o', 'al', 'lo', 'le', 'se', 'sus', 'qué', 'cómo', 'dónde']);
  const en = new Set(['the', 'and', 'of', 'to', 'you', 'your', 'is', 'for', 'will', 'we', 'it', 'in', 'on',
    'with', 'if', 'or', 'a', 'an', 'what', 'how', 'where', 'this', 'that', 'are', 'be']);
  let n = (s.match(/[áéíóúñ¿¡]/giu) ?? []).length;
  for (const w of words) n += es.has(w) ? 1 : en.has(w) ? -1 : 0;
  return n;
}

export function screenshotPath(name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return path.join(SCREENSHOTS, `${name}.png`);
}

/**
 * Acknowledges the open tip page's tip and closes it as no_lead_value with `reason` (checking
 * "prior tips reviewed" when the form asks), which a tip with a threat factor sends to review.
 */
export async function acknowledgeAndCloseNoLead(page, id, reason) {
  await tipAction(page, id, 'form#ack-form', await formAction(page, 'form#ack-form'));
  await expectStatus(page, 'acknowledged', 'after acknowledging');
  assert.ok((await text(page, '.flash')).length > 0, 'no .flash after acknowledging');
  const close = page.locator('form#close-form');
  await close.locator('select[name=disposition]').selectOption('no_lead_value');
  await close.locator('textarea[name=reason]').fill(reason);
  const reviewed = close.locator('input[type=checkbox][name=prior_tips_reviewed]');
  if ((await reviewed.count()) > 0) await reviewed.check();
  await tipAction(page, id, 'form#close-form', await formAction(page, 'form#close-form'));
  await expectStatus(page, 'awaiting_review', 'after closing as no_lead_value');
}
