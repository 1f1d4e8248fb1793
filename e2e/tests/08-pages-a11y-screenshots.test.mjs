// Stories 8 and 9: a tour of every page the other stories visit, in the states they see them
// (the empty form, the form with errors, receipts, follow-up, the staff queue, a tip, a tip
// waiting for review, the dashboard, administration, Spanish). Each page is photographed at
// phone (360×740) and desktop (1280×800) width into artifacts/screenshots/, and scanned with
// axe-core at both widths: no violation of impact "serious" or "critical" is allowed. Every
// finding, of any impact, is also written to artifacts/a11y.json. No page may scroll sideways
// (WCAG 1.4.10, reflow).

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import {
  DESKTOP, PHONE, SCREENSHOTS, acknowledgeAndCloseNoLead, fileTip, fillAndSubmitTip, formAction, launch, newPage,
  openTip, screenshotPath, staffLogin, submit, tipAction, tipIdByReference, visit,
} from '../lib/sightline.mjs';

const BLOCKING = new Set(['serious', 'critical']);

/** [{page, width, url, violations}] */
const findings = [];

/** [{page, scrollWidth, viewport, offenders}] for pages wider than the phone's screen. */
const overflows = [];

/** Whether the page scrolls sideways at the current width, and the outermost elements that stick out. */
function horizontalOverflow() {
  const viewport = document.documentElement.clientWidth;
  const scrollWidth = document.documentElement.scrollWidth;
  if (scrollWidth <= viewport) return null;
  const name = (el) =>
    el.tagName.toLowerCase() + (el.id ? `#${el.id}` : '') + [...el.classList].map((c) => `.${c}`).join('');
  const sticksOut = (el) => el && el !== document.body && el.getBoundingClientRect().right > viewport + 1;
  const offenders = [...document.body.querySelectorAll('*')]
    .filter((el) => sticksOut(el) && !sticksOut(el.parentElement))
    .slice(0, 8)
    .map((el) => `${name(el)} (right edge at ${Math.round(el.getBoundingClientRect().right)} px)`);
  return { scrollWidth, viewport, offenders };
}

/** {page → {lang, switches, crisis}} for the public pages. */
const chrome = new Map();

async function capture(page, name, { isPublic = false } = {}) {
  if (isPublic) {
    chrome.set(name, await page.evaluate(() => ({
      lang: document.documentElement.getAttribute('lang'),
      switches: [...document.querySelectorAll('a[hreflang="es"], a[hreflang="en"]')].map((a) => a.getAttribute('href')),
      crisis: document.querySelectorAll('#crisis-resources').length,
    })));
  }
  for (const [width, size] of [['phone', PHONE], ['desktop', DESKTOP]]) {
    await page.setViewportSize(size);
    const overflow = await page.evaluate(horizontalOverflow);
    if (overflow) overflows.push({ page: name, width, ...overflow });
    await page.screenshot({ path: screenshotPath(`${name}-${width}`), fullPage: true });
    const result = await new AxeBuilder({ page }).analyze();
    findings.push({ page: name, width, url: page.url(), violations: result.violations });
  }
}

function describe(v) {
  const nodes = v.nodes
    .map((n) => `      at ${n.target.join(' ')}\n         ${n.html.slice(0, 200)}\n         ${(n.failureSummary ?? '').replace(/\n/g, ' ')}`)
    .join('\n');
  return `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}`;
}

test('every page: screenshots, no serious or critical accessibility violation, no sideways scrolling', { timeout: 300_000 }, async (t) => {
  const browser = await launch();
  let tourError;
  try {
    const tipster = await newPage(browser);
    await visit(tipster, '/');
    await capture(tipster, 'tip-form', { isPublic: true });
    const invalid = await fillAndSubmitTip(tipster, { category: 'threat', narrative: ' ', noValidate: true });
    assert.equal(invalid.status(), 422, 'the invalid form');
    await capture(tipster, 'tip-form-invalid', { isPublic: true });
    const { reference, passphrase } = await fileTip(tipster, {
      category: 'threat',
      narrative: 'A junior at Millbrook High told people at practice he will hurt Coach Ellis if he gets cut from the team.',
      site: 'Millbrook High School',
    });
    await capture(tipster, 'receipt', { isPublic: true });
    await fileTip(tipster, {
      category: 'self_harm',
      narrative: 'My cousin texted me that she does not want to be alive anymore and has pills saved up.',
    });
    await capture(tipster, 'receipt-crisis', { isPublic: true });
    await visit(tipster, '/follow-up');
    await capture(tipster, 'follow-up', { isPublic: true });
    await tipster.locator('form#follow-up-form input[name=reference]').fill('ZZZZ-ZZZZ');
    await tipster.locator('form#follow-up-form input[name=passphrase]').fill('AAAA-BBBB-CCCC-DDDD-EEEE');
    const refused = await submit(tipster, 'form#follow-up-form button:not([type=button])', '/follow-up');
    assert.equal(refused.status(), 401, 'a wrong follow-up pair');
    await capture(tipster, 'follow-up-refused', { isPublic: true });

    const spanish = await newPage(browser);
    await visit(spanish, '/?lang=es');
    await capture(spanish, 'tip-form-es', { isPublic: true });

    const id = await tipIdByReference(reference, 'analyst@sheriff.demo');
    const analyst = await newPage(browser);
    await visit(analyst, '/staff/login');
    await capture(analyst, 'staff-login');
    await staffLogin(analyst, 'analyst@sheriff.demo');
    await analyst.locator('table#queue').waitFor();
    await capture(analyst, 'queue');
    await openTip(analyst, id);
    await analyst.locator('form#ask-form textarea[name=body]').fill('Did he say when, or is this about the tryouts next week?');
    await tipAction(analyst, id, 'form#ask-form', await formAction(analyst, 'form#ask-form'));
    await capture(analyst, 'tip');

    await visit(tipster, '/follow-up');
    await tipster.locator('form#follow-up-form input[name=reference]').fill(reference);
    await tipster.locator('form#follow-up-form input[name=passphrase]').fill(passphrase);
    await submit(tipster, 'form#follow-up-form button:not([type=button])', '/follow-up');
    assert.equal(new URL(tipster.url()).pathname, '/follow-up/tip', 'signed in as the tipster');
    await capture(tipster, 'follow-up-tip', { isPublic: true });

    await acknowledgeAndCloseNoLead(analyst, id, 'Talked with the coach; the player was upset and has no access to weapons.');

    const supervisor = await newPage(browser);
    await staffLogin(supervisor, 'supervisor@sheriff.demo');
    await openTip(supervisor, id);
    await supervisor.locator('form#review-form').waitFor();
    await capture(supervisor, 'tip-review');
    await visit(supervisor, '/staff/dashboard');
    await capture(supervisor, 'dashboard');
    await visit(supervisor, '/staff/account');
    await capture(supervisor, 'account');
    await visit(supervisor, '/staff/displays');
    await supervisor.locator('form#display-form input[name=name]').fill('Dispatch wall');
    await submit(supervisor, 'form#display-form button[type=submit]', '/staff/displays');
    await capture(supervisor, 'displays');
    const link = await supervisor.locator('#display-link').innerText();
    const screen = await newPage(browser);
    await visit(screen, new URL(link).pathname + new URL(link).search);
    assert.equal(new URL(screen.url()).pathname, '/wall', 'the wall link lands on the wall');
    await capture(screen, 'wall');

    const admin = await newPage(browser);
    await staffLogin(admin, 'admin@fusion.demo');
    await visit(admin, '/staff/admin');
    await capture(admin, 'admin');
  } catch (e) {
    tourError = e;
  } finally {
    await browser.close();
  }

  writeFileSync(path.join(SCREENSHOTS, '..', 'a11y.json'), JSON.stringify(findings, null, 2));
  const pages = [...new Set(findings.map((f) => f.page))];
  for (const name of pages) {
    await t.test(`axe: ${name}`, () => {
      const lines = [];
      const seen = new Set();
      for (const f of findings.filter((f) => f.page === name)) {
        for (const v of f.violations.filter((v) => BLOCKING.has(v.impact))) {
          const key = `${v.id}|${v.nodes.map((n) => n.target.join(' ')).join(',')}`;
          if (seen.has(key)) continue;
          seen.add(key);
          lines.push(`(${f.width}, ${f.url})\n${describe(v)}`);
        }
      }
      assert.ok(lines.length === 0, `${lines.length} serious/critical accessibility violations on ${name}:\n${lines.join('\n')}`);
    });
    if (chrome.has(name)) {
      await t.test(`public page chrome: ${name}`, () => {
        const c = chrome.get(name);
        assert.ok(['en', 'es'].includes(c.lang), `<html lang="${c.lang}">`);
        const other = c.lang === 'es' ? 'en' : 'es';
        assert.ok(c.switches.some((href) => new RegExp(`[?&]lang=${other}\\b`).test(href ?? '')),
          `no a[hreflang="${other}"] adding ?lang=${other} (switch links: ${JSON.stringify(c.switches)})`);
        assert.equal(c.crisis, 1, 'no #crisis-resources');
      });
    }
    // WCAG 1.4.10 (reflow): at 360 px the page itself must not scroll sideways (a wide table may
    // scroll inside its own box).
    await t.test(`no sideways scrolling: ${name}`, () => {
      const wide = overflows.filter((o) => o.page === name);
      assert.ok(wide.length === 0, wide.map((o) =>
        `${name} at ${o.width} width is ${o.scrollWidth} px wide in a ${o.viewport} px viewport; sticking out: ${o.offenders.join(', ')}`).join('\n'));
    });
  }
  if (tourError) throw tourError;
});
