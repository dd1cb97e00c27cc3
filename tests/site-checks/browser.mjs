// Browser test of the generated site (headless Debian Chromium driven by playwright-core).
//
//   node tests/site-checks/browser.mjs [SITE_DIR] [PRIVATE_SITE_DIR]
//
// SITE_DIR (default target/site-check) is a site built with base_url "/";
// ENGLISH_SITE_DIR (5th argument, default target/site-check-en) the example in English.
// PRIVATE_SITE_DIR (default target/site-check-private, skipped if absent) one built with
// `--include-private --base-url /plans/`. Each is served by a tiny static server on
// 127.0.0.1 with an ephemeral port. Every page is opened at 1280 and 390 px and checked for
// console errors, page errors, CSP violations, failed requests, horizontal overflow and
// broken internal links; the portfolio's sorting and filtering are exercised. Full-page
// screenshots go to SHOTS_DIR (default target/site-check-shots). The last line printed is
// "N passed, N failed"; the exit code is 1 if anything failed.

import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "..", "..");
const siteDir = path.resolve(process.argv[2] || path.join(repo, "target", "site-check"));
const privateDir = path.resolve(process.argv[3] || path.join(repo, "target", "site-check-private"));
// HOSTILE_SITE_DIR: tests/fixtures/hostile built with base_url "/hostile/" (skipped if absent):
// XSS vectors in every field; no page may open a dialog or log an error.
const hostileDir = path.resolve(process.argv[4] || path.join(repo, "target", "site-check-hostile"));
const shotsDir = path.resolve(process.env.SHOTS_DIR || path.join(repo, "target", "site-check-shots"));
const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
const WIDTHS = [1280, 390];
// Pages that must exist; every other index.html of the site is checked too.
const REQUIRED = ["/", "/accounts/nanhai-telecom/", "/accounts/tianheng-precision/", "/checklist/",
  "/people/", "/people/lin-hao/", "/calendar/", "/asks/"];
const TOTAL_COST = ["总投入", "Total cost"];
// ENGLISH_SITE_DIR: example-accounts built with language = "en" (skipped if absent).
const englishDir = path.resolve(process.argv[5] || path.join(repo, "target", "site-check-en"));
// CUSTOMER_SITE_DIR: the example built `--audience customer --base-url /joint/` (skipped if absent):
// the joint plans pass the same layout checks.
const customerDir = path.resolve(process.argv[6] || path.join(repo, "target", "site-check-customer"));

// The dossier an executive reads (issue 23). Heights at 1280 px of the example dossiers on main
// before the redesign (3e6eb1b, the English ones with `language = "en"` in kaplan.toml, measured
// as below); each must now be at most HEIGHT_SHARE of it, in both languages.
const HEIGHT_BEFORE = {
  "zh-CN": {
    "grandmart-hypermarkets": 16509, "huayue-heavy": 15594, "huijia-retail": 14794, "jinling-first-hospital": 15021,
    "linjiang-education": 13548, "nanhai-telecom": 14327, "oujiang-chamber": 12804, "tianheng-precision": 15567,
  },
  en: {
    "grandmart-hypermarkets": 17211, "huayue-heavy": 16217, "huijia-retail": 15102, "jinling-first-hospital": 15666,
    "linjiang-education": 13896, "nanhai-telecom": 14772, "oujiang-chamber": 13367, "tianheng-precision": 16160,
  },
};
const HEIGHT_SHARE = 0.65;
const PRINT_PAGES = 8; // A4 portrait, Chromium's print
const GLANCE_BY = 1100; // px from the top of the page at 1280 px
const SVG_TEXT_PX = [11, 16]; // rendered size of every chart's text
const ANSWERS = ["why", "who", "by-whom", "how", "when-where", "cost-return"];

let passed = 0;
let failed = 0;
function check(name, ok, detail) {
  if (ok) {
    passed += 1;
    console.log(`ok - ${name}`);
  } else {
    failed += 1;
    console.log(`not ok - ${name}${detail ? `\n    ${String(detail).split("\n").join("\n    ")}` : ""}`);
  }
}

// ---------------------------------------------------------------- static server

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".woff2": "font/woff2",
};

// Serves `root` under the URL prefix `mount` ("/" or "/plans/"): `/x/` → `x/index.html`,
// `/x` (a folder) → redirect to `/x/`, anything else → 404.
function serve(root, mount) {
  const server = http.createServer((req, res) => {
    const send = (status, body, headers = {}) => {
      res.writeHead(status, { "content-type": "text/plain; charset=utf-8", ...headers });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    if (req.method !== "GET" && req.method !== "HEAD") return send(405, "method not allowed\n");
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, "http://127.0.0.1").pathname);
    } catch {
      return send(400, "bad request\n");
    }
    if (!pathname.startsWith(mount)) return send(404, "not found\n");
    const rel = pathname.slice(mount.length);
    const file = path.resolve(root, "." + path.posix.sep + rel);
    if (file !== root && !file.startsWith(root + path.sep)) return send(403, "forbidden\n");
    let target = file;
    let stat;
    try {
      stat = fs.statSync(target);
      if (stat.isDirectory()) {
        if (!pathname.endsWith("/")) return send(301, "", { location: pathname + "/" });
        target = path.join(target, "index.html");
        stat = fs.statSync(target);
      }
    } catch {
      return send(404, "not found\n");
    }
    if (!stat.isFile()) return send(404, "not found\n");
    const type = TYPES[path.extname(target).toLowerCase()] || "application/octet-stream";
    res.writeHead(200, { "content-type": type, "content-length": stat.size, "cache-control": "no-store" });
    if (req.method === "HEAD") return res.end();
    fs.createReadStream(target).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      resolve({ server, origin: `http://127.0.0.1:${port}`, mount });
    });
  });
}

function status(url) {
  return new Promise((resolve) => {
    const req = http.request(url, { method: "HEAD" }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on("error", (e) => resolve(`error ${e.message}`));
    req.setTimeout(5000, () => req.destroy(new Error("timeout")));
    req.end();
  });
}

// The site's pages as URL paths ("/", "/accounts/x/", "/checklist/").
function pagesOf(root) {
  const out = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === "index.html") {
        const rel = path.relative(root, dir).split(path.sep).join("/");
        out.push(rel ? `/${rel}/` : "/");
      }
    }
  };
  walk(root);
  return out.sort((a, b) => (a === "/" ? -1 : b === "/" ? 1 : a.localeCompare(b)));
}

function shotName(prefix, page, width) {
  const slug = page === "/" ? "portfolio" : page.replace(/^\/|\/$/g, "").replace(/^accounts\//, "").replace(/\//g, "-");
  return path.join(shotsDir, `${prefix}${slug}-${width}.png`);
}

// ---------------------------------------------------------------- page checks

// Opens `url` in a fresh page of `context`, collecting every console error, page error,
// CSP violation and failed request while it loads and while `during` runs.
async function withPage(context, url, during) {
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "assert") {
      const at = m.location() && m.location().url ? ` [${m.location().url}]` : "";
      // Chromium asks for /favicon.ico on its own when a page names no icon (the theme has
      // none to name): that 404 is the browser's, not the page's.
      if (/^Failed to load resource/.test(m.text()) && /^https?:\/\/[^/]+\/favicon\.ico$/.test(m.location()?.url || "")) return;
      problems.push(`console ${m.type()}: ${m.text()}${at}`);
    }
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("dialog", (d) => {
    problems.push(`dialog opened: ${d.type()} ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  // Report CSP violations explicitly (Chromium also logs them to the console).
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile || ""}:${e.lineNumber || ""})`);
    });
  });
  let response = null;
  try {
    response = await page.goto(url, { waitUntil: "load", timeout: 30000 });
    await page.evaluate(() => document.fonts.ready);
    await during(page, response);
  } finally {
    await page.close();
  }
  return problems;
}

// With mobile emulation a page that overflows widens the layout viewport (innerWidth grows to
// the content's width), so the width asked for is the limit as well as innerWidth.
async function overflow(page, width) {
  return page.evaluate((asked) => {
    const vw = Math.min(window.innerWidth, asked);
    const doc = document.documentElement.scrollWidth;
    const offenders = [];
    if (doc > vw + 1) {
      // Name the widest elements that stick out, skipping those inside a scroll container.
      const scrolls = (el) => {
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
          const o = getComputedStyle(p).overflowX;
          if (o === "auto" || o === "scroll" || o === "hidden" || o === "clip") return true;
        }
        return false;
      };
      for (const el of document.body.querySelectorAll("*")) {
        const r = el.getBoundingClientRect();
        if (r.right > vw + 1 && r.width > 0 && !scrolls(el)) {
          const id = el.id ? `#${el.id}` : "";
          const cls = typeof el.className === "string" && el.className ? `.${el.className.trim().split(/\s+/).join(".")}` : "";
          offenders.push(`${el.tagName.toLowerCase()}${id}${cls} right=${Math.round(r.right)}`);
        }
      }
    }
    return { vw, doc, offenders: offenders.slice(0, 12) };
  }, width);
}

// Block boxes whose own text does not fit (clipped or spilling out of the box).
async function textFits(page, selector) {
  return page.evaluate((sel) => {
    const bad = [];
    for (const el of document.querySelectorAll(sel)) {
      if (el.clientWidth <= 1 || el.closest(".visually-hidden")) continue;
      if (el.scrollWidth > el.clientWidth + 1) bad.push(`${sel} "${el.textContent.trim().slice(0, 40)}" ${el.scrollWidth}>${el.clientWidth}`);
    }
    return bad;
  }, selector);
}

async function columnValues(page, index) {
  return page.evaluate((i) => {
    const rows = Array.from(document.querySelectorAll("#accounts tbody tr")).filter((r) => !r.hidden);
    return rows.map((r) => parseFloat(r.cells[i].getAttribute("data-value")));
  }, index);
}

const ascending = (xs) => xs.every((x, i) => i === 0 || xs[i - 1] <= x);
const descending = (xs) => xs.every((x, i) => i === 0 || xs[i - 1] >= x);

async function portfolioChecks(page, width) {
  const tag = `portfolio @${width}`;
  const headers = await page.$$eval("#accounts thead th", (ths) => ths.map((th) => th.textContent.trim()));
  const index = headers.findIndex((h) => TOTAL_COST.some((label) => h.replace(/[▲▼\s]/g, "") === label.replace(/\s/g, "")));
  check(`${tag}: #accounts has a total cost column`, index >= 0, `headers: ${headers.join(" | ")}`);
  if (index < 0) return;
  const rowsBefore = await page.$$eval("#accounts tbody tr", (rs) => rs.length);
  check(`${tag}: #accounts has rows`, rowsBefore >= 2, `${rowsBefore} rows`);
  const th = page.locator("#accounts thead th").nth(index);

  await th.click();
  let values = await columnValues(page, index);
  let sort = await th.getAttribute("aria-sort");
  check(`${tag}: sorting by total cost ascending`, sort === "ascending" && ascending(values) && values.length === rowsBefore,
    `aria-sort=${sort} values=${values.join(", ")}`);
  await th.click();
  values = await columnValues(page, index);
  sort = await th.getAttribute("aria-sort");
  check(`${tag}: sorting by total cost descending`, sort === "descending" && descending(values) && values.length === rowsBefore,
    `aria-sort=${sort} values=${values.join(", ")}`);
  if (width === WIDTHS[0]) {
    await th.focus();
    await page.keyboard.press("Enter");
    sort = await th.getAttribute("aria-sort");
    check(`${tag}: sorting from the keyboard`, sort === "ascending" && ascending(await columnValues(page, index)), `aria-sort=${sort}`);
  }

  const formVisible = await page.locator("form.filters").isVisible();
  check(`${tag}: the filter form is shown when scripts run`, formVisible);
  if (!formVisible) return;
  const select = page.locator("form.filters select[name=tier]");
  const tiers = await select.locator("option").evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
  const counts = await page.$$eval("#accounts tbody tr", (rs) => rs.map((r) => r.getAttribute("data-tier")));
  const tier = tiers.find((t) => counts.includes(t) && counts.some((c) => c !== t));
  check(`${tag}: a tier to filter by`, Boolean(tier), `tiers: ${tiers.join(", ")}; rows: ${counts.join(", ")}`);
  if (!tier) return;
  await select.selectOption(tier);
  const state = await page.$$eval("#accounts tbody tr", (rs) =>
    rs.map((r) => ({ tier: r.getAttribute("data-tier"), shown: !r.hidden && r.getClientRects().length > 0 })));
  const shown = state.filter((r) => r.shown);
  const expected = counts.filter((c) => c === tier).length;
  const output = (await page.locator("form.filters output").textContent()) || "";
  check(`${tag}: the tier filter hides the other rows`,
    shown.length === expected && shown.every((r) => r.tier === tier) && output.includes(`${expected} / ${counts.length}`),
    `tier=${tier} shown=${shown.length} expected=${expected} output="${output}"`);
  await select.selectOption("");
  const all = await page.$$eval("#accounts tbody tr", (rs) => rs.filter((r) => !r.hidden).length);
  check(`${tag}: clearing the filter shows every row`, all === counts.length, `${all} of ${counts.length}`);
}

// Every same-site link of the page answers 200, and its fragment names an element.
async function collectLinks(page) {
  return page.evaluate(() => {
    const ids = Array.from(document.querySelectorAll("[id]")).map((e) => e.id);
    // SVG <a> elements (charts) have no string .href: resolve the attribute instead.
    const links = Array.from(document.querySelectorAll("a[href], link[href], script[src]")).map((e) => {
      const raw = e.getAttribute("href") ?? e.getAttribute("src");
      let abs = null;
      try {
        abs = new URL(raw, document.baseURI).href;
      } catch {
        abs = null;
      }
      return { raw, abs };
    });
    return { ids, links };
  });
}

// Every chart's text renders at a readable size (font size × the SVG's scale on screen).
async function chartText(page) {
  return page.evaluate(() => {
    const out = [];
    for (const t of document.querySelectorAll("svg text")) {
      const m = t.getScreenCTM();
      if (!m || t.getClientRects().length === 0 || !t.textContent.trim()) continue;
      const size = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
      const chart = t.closest("svg").getAttribute("class") || "svg";
      out.push({ size: Math.round(size * 10) / 10, what: `${chart}: "${t.textContent.trim().slice(0, 30)}"` });
    }
    return out;
  });
}

// Tables that do not fit their frame, and amounts broken over two lines.
async function clippedTables(page) {
  return page.evaluate(() => {
    const bad = [];
    for (const w of document.querySelectorAll(".table-wrap")) {
      if (w.clientWidth > 0 && w.scrollWidth > w.clientWidth + 1) {
        bad.push(`table ${w.querySelector("table")?.className || ""} ${w.scrollWidth}>${w.clientWidth}`);
      }
    }
    for (const el of document.querySelectorAll("td.num, .figures dd, .figure-value")) {
      const text = Array.from(el.childNodes).find((n) => n.nodeType === 3 && n.textContent.trim());
      if (!text) continue;
      const r = document.createRange();
      r.selectNodeContents(text);
      const tops = new Set(Array.from(r.getClientRects()).map((x) => Math.round(x.top)));
      if (tops.size > 1) bad.push(`amount "${text.textContent.trim()}" wraps`);
    }
    return bad;
  });
}

// What the dossier's first screen must hold, and its length (1280 px only).
async function dossierChecks(page, tag, id, lang) {
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  const before = HEIGHT_BEFORE[lang]?.[id];
  if (before) {
    const share = height / before;
    console.log(`# ${id} (${lang}) at 1280 px: ${height} px, ${(share * 100).toFixed(1)}% of ${before} px before`);
    check(`${tag}: at most ${HEIGHT_SHARE * 100}% of its height before the redesign`, share <= HEIGHT_SHARE,
      `${height} px of ${before} px`);
  }
  const answers = await page.evaluate((qs) => qs.map((q) => {
    const h = document.querySelector(`.glance .answer-${q} h3`);
    return { q, bottom: h ? Math.round(h.getBoundingClientRect().bottom + window.scrollY) : null,
      body: h ? h.parentElement.textContent.trim().length : 0 };
  }), ANSWERS);
  const late = answers.filter((a) => a.bottom === null || a.bottom > GLANCE_BY || a.body < 10);
  check(`${tag}: the glance answers the six questions in the first ${GLANCE_BY} px`, late.length === 0,
    late.map((a) => `${a.q}: ${a.bottom === null ? "missing" : `heading ends at ${a.bottom} px`}`).join("; "));
}

// The dossier printed to A4 by Chromium: pages, and the glance alone on page 1.
async function printChecks(page, tag, id, lang) {
  await page.emulateMedia({ media: "print" });
  const glance = await page.evaluate(() => {
    const g = document.querySelector(".glance");
    return g ? Math.round(g.getBoundingClientRect().bottom + window.scrollY) : null;
  });
  const pdf = await page.pdf({ format: "A4", printBackground: true, preferCSSPageSize: true });
  await page.emulateMedia({ media: "screen" });
  const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
  console.log(`# ${id} (${lang}) printed: ${pages} A4 pages`);
  check(`${tag}: prints on at most ${PRINT_PAGES} A4 pages`, pages >= 1 && pages <= PRINT_PAGES, `${pages} pages`);
  check(`${tag}: the glance is printed`, glance !== null);
}

// ---------------------------------------------------------------- the checklist in Chinese (issue 26)

// The example site is zh-CN: its checklist page shows every finding in Chinese. No English
// rule summary, message or help (as `kaplan check --lang en` and `kaplan explain --list
// --lang en` write them for the same plans) may appear on it, every Chinese message does,
// and no message shows a Markdown backtick.
async function checklistSpeaksChinese() {
  const { execFileSync } = await import("node:child_process");
  const kaplan = (...args) => execFileSync(path.join(repo, "target", "debug", "kaplan"), args,
    { encoding: "utf8", maxBuffer: 64 << 20, stdio: ["ignore", "pipe", "ignore"] });
  const findings = (lang) => {
    try {
      return JSON.parse(kaplan("check", path.join(repo, "example-accounts"), "--format", "json",
        "--today", "2026-06-30", "--lang", lang));
    } catch (e) {
      return JSON.parse(e.stdout); // exit code 1: the plans have errors
    }
  };
  const html = fs.readFileSync(path.join(siteDir, "checklist", "index.html"), "utf8");
  const text = html.replace(/<[^>]*>/g, " ").replace(/&lt;/g, "<").replace(/&gt;/g, ">")
    .replace(/&quot;/g, "\"").replace(/&#39;|&#x27;/g, "'").replace(/&amp;/g, "&");
  const plain = (s) => s.replace(/`/g, "");
  const english = findings("en").flatMap((d) => [d.message, d.help]).filter(Boolean);
  const summaries = kaplan("explain", "--list", "--lang", "en").split("\n")
    .map((l) => l.split(/\s{2,}/)[2]).filter(Boolean);
  const chinese = findings("zh-CN").map((d) => d.message);
  const found = [...english, ...summaries].map(plain).filter((m) => text.includes(m));
  check("checklist (zh-CN): no English rule summary, message or help", english.length > 0 && found.length === 0,
    found.length ? found.slice(0, 10).join("\n") : `${english.length} English messages to look for`);
  const missing = chinese.map(plain).filter((m) => !text.includes(m));
  check("checklist (zh-CN): every finding's Chinese message shown", chinese.length > 0 && missing.length === 0,
    missing.slice(0, 10).join("\n"));
  const ticks = [...html.matchAll(/class="diag-level">[^<]*<\/span>([^<]*)/g)].map((m) => m[1]).filter((m) => m.includes("`"));
  check("checklist (zh-CN): no Markdown backticks in messages", ticks.length === 0, ticks.slice(0, 5).join("\n"));
}

// ---------------------------------------------------------------- main

async function run() {
  if (!fs.existsSync(path.join(siteDir, "index.html"))) {
    check(`site exists at ${siteDir}`, false, "build it first: target/debug/kaplan build example-accounts -o target/site-check");
    return;
  }
  fs.mkdirSync(shotsDir, { recursive: true });
  for (const f of fs.readdirSync(shotsDir)) if (f.endsWith(".png")) fs.rmSync(path.join(shotsDir, f));

  const sites = [{ dir: siteDir, mount: "/", prefix: "", widths: WIDTHS, privateBanner: false, lang: "zh-CN" }];
  if (fs.existsSync(path.join(privateDir, "index.html"))) {
    sites.push({ dir: privateDir, mount: "/plans/", prefix: "private-", widths: [WIDTHS[0]], privateBanner: true });
  }
  if (fs.existsSync(path.join(englishDir, "index.html"))) {
    sites.push({ dir: englishDir, mount: "/", prefix: "en-", widths: WIDTHS, privateBanner: false, lang: "en" });
  }
  if (fs.existsSync(path.join(customerDir, "index.html"))) {
    sites.push({ dir: customerDir, mount: "/joint/", prefix: "joint-", widths: WIDTHS, privateBanner: false });
  }
  if (fs.existsSync(path.join(hostileDir, "index.html"))) {
    sites.push({ dir: hostileDir, mount: "/hostile/", prefix: "hostile-", widths: [WIDTHS[0]], privateBanner: false, links: false, layout: false });
  }

  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
  try {
    for (const site of sites) {
      const srv = await serve(site.dir, site.mount);
      try {
        const pages = pagesOf(site.dir);
        if (site.mount === "/") {
          for (const p of REQUIRED) check(`page ${p} exists`, pages.includes(p), `pages: ${pages.join(" ")}`);
        }
        const seen = new Map(); // url path → ids
        const links = [];
        for (const width of site.widths) {
          const context = await browser.newContext({
            viewport: { width, height: 900 },
            deviceScaleFactor: 1,
            isMobile: width < 600,
            hasTouch: width < 600,
            javaScriptEnabled: true,
            serviceWorkers: "block",
          });
          try {
            for (const p of pages) {
              const urlPath = site.mount === "/" ? p : site.mount + p.slice(1);
              const tag = `${urlPath} @${width}`;
              const problems = await withPage(context, srv.origin + urlPath, async (page, response) => {
                check(`${tag}: loads`, response && response.status() === 200, `status ${response && response.status()}`);
                // The hostile site's attack strings are long unbroken words: only security counts there.
                if (site.layout !== false) {
                  const o = await overflow(page, width);
                  check(`${tag}: no horizontal overflow`, o.doc <= o.vw + 1,
                    `scrollWidth ${o.doc} > innerWidth ${o.vw}: ${o.offenders.join(", ")}`);
                  const clipped = [
                    ...(await textFits(page, ".figure")),
                    ...(await textFits(page, "h1")),
                    ...(await textFits(page, "h2")),
                    ...(await textFits(page, ".site-header")),
                  ];
                  check(`${tag}: headings and key figures fit their boxes`, clipped.length === 0, clipped.join("\n"));
                  const sizes = await chartText(page);
                  const off = sizes.filter((t) => t.size < SVG_TEXT_PX[0] || t.size > SVG_TEXT_PX[1]);
                  if (sizes.length > 0) {
                    const all = sizes.map((t) => t.size);
                    console.log(`# ${tag}: chart text ${Math.min(...all)}–${Math.max(...all)} px (${sizes.length} texts)`);
                  }
                  check(`${tag}: chart text renders at ${SVG_TEXT_PX[0]}–${SVG_TEXT_PX[1]} px`, off.length === 0,
                    off.slice(0, 12).map((t) => `${t.size} px ${t.what}`).join("\n"));
                  if (width === WIDTHS[0]) {
                    const cut = await clippedTables(page);
                    check(`${tag}: no table clipped, no amount wrapped`, cut.length === 0, cut.slice(0, 12).join("\n"));
                  }
                  const id = p.startsWith("/accounts/") ? p.split("/")[2] : null;
                  if (id && width === WIDTHS[0] && site.lang) {
                    await dossierChecks(page, tag, id, site.lang);
                    await printChecks(page, tag, id, site.lang);
                  }
                }
                // Screenshot first, as a person would see the page on opening it.
                await page.screenshot({ path: shotName(site.prefix, p, width), fullPage: true });
                if (site.privateBanner) {
                  check(`${tag}: private banner shown`, await page.locator(".private-banner").isVisible());
                }
                if (p === "/" && site.mount === "/") await portfolioChecks(page, width);
                if (width === site.widths[0]) {
                  const l = await collectLinks(page);
                  seen.set(urlPath, new Set(l.ids));
                  for (const link of l.links) links.push({ from: urlPath, ...link });
                }
              });
              check(`${tag}: no console errors, page errors, CSP violations or failed requests`, problems.length === 0,
                problems.join("\n"));
            }
          } finally {
            await context.close();
          }
        }

        // Links found on the pages (checked once per site, not per width).
        const broken = [];
        const statuses = new Map();
        // The hostile site's links are the plans' own attack strings: what matters there is
        // that nothing runs, not where they point.
        for (const link of site.links === false ? [] : links) {
          if (!link.raw || link.raw.trim() === "") {
            broken.push(`${link.from}: empty link`);
            continue;
          }
          let u;
          try {
            u = new URL(link.abs);
          } catch {
            broken.push(`${link.from}: bad URL ${link.raw}`);
            continue;
          }
          if (u.origin !== srv.origin) continue;
          const key = u.pathname;
          if (!statuses.has(key)) statuses.set(key, await status(srv.origin + key));
          const st = statuses.get(key);
          if (st !== 200) {
            broken.push(`${link.from}: ${link.raw} → ${st}`);
            continue;
          }
          if (u.hash && u.hash.length > 1) {
            const ids = seen.get(key);
            const id = decodeURIComponent(u.hash.slice(1));
            if (ids && !ids.has(id)) broken.push(`${link.from}: ${link.raw} → no element with id "${id}"`);
          }
        }
        check(`${site.mount}: ${links.length} internal links and fragments resolve`, broken.length === 0,
          [...new Set(broken)].slice(0, 20).join("\n"));
      } finally {
        await new Promise((r) => srv.server.close(r));
      }
    }
  } finally {
    await browser.close();
  }
}

try {
  await run();
  await checklistSpeaksChinese();
} catch (e) {
  check("browser test ran to the end", false, e && e.stack ? e.stack : e);
}
console.log(`screenshots: ${shotsDir}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
