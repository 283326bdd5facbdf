// The browser test of `rasd serve`'s page, in Debian's headless Chromium driven by
// playwright-core. It loads the page, sees the markers, filters by a governorate, opens an
// event and finds its highlighted evidence, corrects the event with a reviewer's token,
// reloads and sees the correction; then saves a screenshot.
//
// Environment: RASD_URL (the server), RASD_TOKEN (a reviewer's token), RASD_SCREENSHOT (where
// the PNG goes).
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const base = process.env.RASD_URL;
const token = process.env.RASD_TOKEN;
const screenshot = process.env.RASD_SCREENSHOT || "serve.png";
assert.ok(base && token, "RASD_URL and RASD_TOKEN are needed");

const step = (what) => console.log(`browser: ${what}`);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
const problems = [];
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1050 } });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  // Nothing but the server itself may be asked for anything.
  page.on("request", (r) => {
    if (!r.url().startsWith(base)) problems.push(`request outside the server: ${r.url()}`);
  });

  await page.goto(`${base}/`);
  await page.waitForSelector("#map circle.marker");
  const markers = await page.locator("#map circle.marker").count();
  assert.ok(markers > 0, "no markers");
  step(`${markers} markers on the map`);

  // The governorate with the most events, as the API counts them.
  const all = await (await fetch(`${base}/api/events?limit=1000`)).json();
  const counts = new Map();
  for (const e of all.events) {
    if (e.admin1_pcode) counts.set(e.admin1_pcode, (counts.get(e.admin1_pcode) || 0) + 1);
  }
  const [pcode] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
  const expected = await (await fetch(`${base}/api/events?limit=50&admin1=${pcode}`)).json();
  await page.selectOption("#f-admin1", pcode);
  await page.waitForFunction(
    ([want, first]) => {
      const items = [...document.querySelectorAll("#list li")];
      return items.length === want && items[0].dataset.event === first;
    },
    [expected.events.length, expected.events[0].event_id],
  );
  assert.ok(page.url().includes(`admin1=${pcode}`), "the URL keeps the filter");
  step(`filtered by ${pcode}: ${expected.events.length} events listed`);

  // Open the first event with evidence in a report.
  await page.locator("#list li").first().click();
  await page.waitForSelector("#reports mark");
  const marks = await page.locator("#reports mark").allTextContents();
  assert.ok(marks.length > 0 && marks.every((m) => m.length > 0), "no highlighted evidence");
  assert.equal(await page.locator("#reports .report-text").first().getAttribute("dir"), "rtl");
  const eventId = new URL(page.url()).searchParams.get("event");
  assert.ok(eventId, "the URL keeps the selected event");
  step(`event ${eventId}: ${marks.length} pieces of evidence highlighted («${marks[0]}»)`);

  // Correct it with the token.
  await page.fill("#token", token);
  await page.selectOption("#r-action", "edit");
  await page.fill("#r-fatalities", "7");
  await page.fill("#r-comment", "اختبار المتصفح: سبعة قتلى");
  await page.click("#r-submit");
  await page.waitForFunction(() => document.querySelector("#detail-review").classList.contains("corrected"));
  step("corrected with the token");

  await page.reload();
  await page.waitForSelector("#reports mark");
  await page.waitForFunction(() => document.querySelector("#fatalities-value")?.textContent === "7");
  assert.ok(await page.locator("#detail-review.corrected").count(), "the review shows after a reload");
  assert.ok((await page.locator("#history li").count()) >= 1, "the history shows the review");
  const api = await (await fetch(`${base}/api/events/${eventId}`)).json();
  assert.equal(api.event.fatalities.best, 7);
  assert.equal(api.event.review, "corrected");
  step("the correction is there after a reload");

  await page.locator("#reports mark").first().scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshot, fullPage: true });
  step(`screenshot saved to ${screenshot}`);
} finally {
  await browser.close();
}
assert.deepEqual(problems, [], problems.join("\n"));
console.log("browser: ok");
