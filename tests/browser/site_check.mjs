// Drive the built site in the system's headless Chromium (playwright-core, no browser download)
// as a reader would: type a query on the Query page and read the rendered table, try bad SQL,
// download the CSV, pick a date on the "in force on" page and read the statuses. Prints one JSON
// object for tests/test_browser_pages.py to check against the database, and saves screenshots.
//
// usage: node tests/browser/site_check.mjs CHROMIUM BASE_URL OUT_DIR PLAN_JSON
import { chromium } from "playwright-core";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const [binary, base, outDir, planFile] = process.argv.slice(2);
const plan = JSON.parse(readFileSync(planFile, "utf8"));
const FLAGS = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
];

async function readTable(page, selector) {
  return page.$eval(selector, (table) => ({
    columns: Array.from(table.querySelectorAll("thead th"), (th) => th.textContent.trim()),
    rows: Array.from(table.querySelectorAll("tbody tr"))
      .filter((tr) => !tr.hidden)
      .map((tr) => Array.from(tr.cells, (td) => td.textContent.trim())),
  }));
}

async function queryPage(page, out) {
  await page.goto(`${base}/generated/query.html`);
  await page.waitForSelector("#re-query[data-ready=true][data-rows]", { timeout: plan.timeout_ms || 60000 });
  out.status_ready = await page.textContent("#re-query-status");
  out.engine = await page.textContent("#re-query-engine");
  out.setup_error = (await page.isVisible("#re-query-skipped")) ? await page.textContent("#re-query-skipped") : "";
  out.first_example = await readTable(page, "#re-query-result");
  const editor = page.locator("#re-query-sql");
  out.runs = [];
  for (const sql of plan.queries) {
    await editor.fill("");
    await editor.pressSequentially(sql);
    await page.click("#re-query-run");
    await page.waitForSelector("#re-query[data-rows]", { timeout: 30000 });
    const rows = await page.getAttribute("#re-query", "data-rows");
    const run = { sql, rows };
    if (rows === "error") run.error = await page.textContent("#re-query-error");
    else run.table = await readTable(page, "#re-query-result");
    out.runs.push(run);
  }
  // the screenshot shows the first query of the plan, its answer and the CSV link
  await editor.fill(plan.queries[0]);
  await page.keyboard.press("Control+Enter");
  await page.waitForSelector("#re-query[data-rows]:not([data-rows=error])");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#re-query-csv")]);
  out.csv = readFileSync(await download.path(), "utf8");
  await page.screenshot({ path: join(outDir, "query.png"), fullPage: true });
}

async function inForcePage(page, out) {
  await page.goto(`${base}/generated/in-force.html`);
  await page.waitForSelector("#re-inforce[data-ready=true]", { timeout: 30000 });
  out.default_date = await page.inputValue("#re-inforce-date");
  out.dates = {};
  for (const date of plan.dates) {
    await page.fill("#re-inforce-date", date);
    await page.dispatchEvent("#re-inforce-date", "change");
    await page.waitForSelector(`#re-inforce[data-date="${date}"]`);
    out.dates[date] = {
      summary: await page.textContent("#re-inforce-summary"),
      rows: await page.$$eval("#re-inforce-result tbody tr", (trs) => trs.map((tr) => ({ ...tr.dataset }))),
      shown: await readTable(page, "#re-inforce-result"),
    };
  }
  await page.fill("#re-inforce-date", plan.screenshot_date);
  await page.dispatchEvent("#re-inforce-date", "change");
  await page.waitForSelector(`#re-inforce[data-date="${plan.screenshot_date}"]`);
  await page.screenshot({ path: join(outDir, "in-force.png"), fullPage: true });
}

const browser = await chromium.launch({ executablePath: binary, args: FLAGS });
const result = { outside: [], console_errors: [] };
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(base) || url.startsWith("blob:") || url.startsWith("data:")) return route.continue();
    result.outside.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  page.on("console", (msg) => { if (msg.type() === "error") result.console_errors.push(msg.text()); });
  page.on("pageerror", (err) => result.console_errors.push(String(err)));
  for (const name of plan.pages) {
    result[name] = {};
    try {
      if (name === "query") await queryPage(page, result[name]);
      else if (name === "home" || name === "charts") {
        // pages without an engine: loaded to see that they fetch nothing from outside the site
        await page.goto(`${base}/${name === "home" ? "index.html" : "generated/charts.html"}`, { waitUntil: "networkidle" });
        result[name].title = await page.title();
      }
      else if (name === "in_force") await inForcePage(page, result[name]);
    } catch (err) {
      // what the reader would see when it went wrong: the status line, the error box, a screenshot
      result[name].failure = String(err).split("\n")[0];
      result[name].page_text = (await page.textContent("article").catch(() => "")).slice(0, 3000);
      await page.screenshot({ path: join(outDir, `${name}-failed.png`), fullPage: true }).catch(() => {});
    }
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(result) + "\n");
