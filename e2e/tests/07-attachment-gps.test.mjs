// Story 7: a photo's location metadata never reaches staff. A JPEG with an Exif GPS block is
// attached to a tip; what staff download is still a JPEG, without the Exif segment or the GPS IFD.
// Files the form does not take (over 10 MB; not an image, video or PDF) bring the form back.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { containsCraftedGps, craftJpeg, exifSegments, segments } from '../lib/jpeg.mjs';
import {
  TEST_MS, api, fileTip, fillAndSubmitTip, launch, newPage, openTip, staffLogin, tipIdByReference, visit,
} from '../lib/sightline.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('the crafted photo really carries Exif GPS (a check of the test itself)', () => {
  const jpeg = craftJpeg();
  assert.equal(exifSegments(jpeg).length, 1);
  assert.ok(containsCraftedGps(jpeg));
  assert.equal(exifSegments(craftJpeg({ gps: false })).length, 0);
  assert.ok(!containsCraftedGps(craftJpeg({ gps: false })));
});

test('an uploaded photo is stored without its GPS metadata', { timeout: TEST_MS }, async () => {
  const photo = craftJpeg();
  const tipster = await newPage(browser, { js: false, phone: true });
  const { reference } = await fileTip(tipster, {
    category: 'weapon',
    narrative: 'This is a photo of the knife he showed in the bathroom at Millbrook High this morning.',
    site: 'Millbrook High School',
    files: [{ name: 'knife.jpg', mimeType: 'image/jpeg', buffer: photo }],
  });
  const id = await tipIdByReference(reference, 'analyst@sheriff.demo');

  const staff = await newPage(browser);
  await staffLogin(staff, 'analyst@sheriff.demo');
  await openTip(staff, id);
  const links = staff.locator('a.attachment[href^="/staff/attachments/"]');
  assert.equal(await links.count(), 1, 'the tip page does not list exactly one a.attachment[href^="/staff/attachments/"]');
  const href = await links.first().getAttribute('href');
  const response = await staff.context().request.get(href);
  assert.equal(response.status(), 200, `GET ${href}: HTTP ${response.status()}`);
  const stored = await response.body();

  assert.ok(stored.length > 4 && stored[0] === 0xff && stored[1] === 0xd8, 'the stored file does not start with FFD8 (not a JPEG)');
  const markers = segments(stored).map((s) => s.marker.toString(16));
  assert.ok(markers.includes('da'), `the stored JPEG has no scan (segments: ${markers.join(' ')})`);
  assert.equal(exifSegments(stored).length, 0, `the stored JPEG still has an Exif APP1 segment (segments: ${markers.join(' ')})`);
  assert.ok(!containsCraftedGps(stored), 'the stored file still contains the GPS IFD / coordinates');
  assert.ok(!stored.includes(Buffer.from('SightlineTestCam')), 'the stored file still contains the camera make from Exif');

  // Still a picture a browser can show.
  const size = await staff.evaluate(async (src) => {
    const img = new Image();
    img.src = src;
    await img.decode();
    return [img.naturalWidth, img.naturalHeight];
  }, `data:image/jpeg;base64,${stored.toString('base64')}`);
  assert.deepEqual(size, [8, 8], 'the stored JPEG does not decode to the 8×8 picture');
});

/** Whether the fusion centre (where tips with no place go) has an open tip with this narrative. */
async function filedWith(narrative) {
  const queue = await api('analyst@fusion.demo', '/api/v1/tips?limit=5000');
  return queue.some((t) => narrative.startsWith(t.excerpt.trim()));
}

for (const [what, file, narrative] of [
  [
    'a file over 10 MB',
    { name: 'video.mp4', mimeType: 'video/mp4', buffer: Buffer.alloc(10 * 1024 * 1024 + 1, 0x41) },
    'Someone keeps leaving notes in my locker saying they know where I live. I have a video of it.',
  ],
  [
    'a file that is not an image, video or PDF',
    { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('just some notes\n') },
    'Someone keeps leaving notes in my locker saying they know where I live. I typed them up.',
  ],
]) {
  test(`${what} is refused by the form with the reason, the text kept, nothing filed`, { timeout: TEST_MS }, async () => {
    const page = await newPage(browser, { js: false, phone: true });
    await visit(page, '/');
    const response = await fillAndSubmitTip(page, { category: 'threat', narrative, files: [file] });
    assert.equal(response.status(), 422, `${what} answered HTTP ${response.status()}, expected 422`);
    const error = page.locator('.field-error[data-field="attachments"]');
    assert.equal(await error.count(), 1, 'no .field-error[data-field="attachments"]');
    assert.ok((await error.innerText()).trim().length > 0, 'the attachments error says nothing');
    assert.equal(await page.locator('form#tip-form textarea[name=narrative]').inputValue(), narrative, 'the narrative was not kept');
    assert.equal(await page.locator('#reference').count(), 0, 'a receipt was shown');
    assert.ok(!(await filedWith(narrative)), 'the tip was filed anyway');
  });
}
