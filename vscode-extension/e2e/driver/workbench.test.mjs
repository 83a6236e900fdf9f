// Drives a real VS Code workbench (code-server) in headless chromium with the WIT extension
// installed. Started by e2e/run.sh, which provides:
//   CS_URL, WS_DIR (workspace folder), OUT_DIR (screenshots), E2E_TOOLS (playwright-core),
//   WIT_E2E_SERVER (1: language-server checks run and must pass; 0: they are skipped;
//   mock: against e2e/mock-server.mjs; bundled: the real server, which the extension must first
//   install from the wheels in its platform-specific .vsix, with no wit-ls on PATH or in settings).
//   WASI_HTTP (the copy of the real wasi-http package in the workspace, or empty).
//   BREAKING (1 when the workspace is a git repository with a commit and `wit.breaking.against`
//   is HEAD, else empty).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';

const { chromium } = createRequire(path.join(process.env.E2E_TOOLS, 'driver', 'package.json'))('playwright-core');

const CS_URL = process.env.CS_URL;
const WS_DIR = process.env.WS_DIR;
const OUT = process.env.OUT_DIR;
const MODE = process.env.WIT_E2E_SERVER ?? '0'; // '1' real wit-ls, 'mock' e2e/mock-server.mjs, 'bundled', '0' none
const BUNDLED = MODE === 'bundled';
const WITH_SERVER = MODE === '1' || MODE === 'mock' || BUNDLED;
const MOCK = MODE === 'mock';
const NO_SERVER = 'language server not available (WIT_E2E_SERVER=0)';
const WASI_HTTP = process.env.WASI_HTTP ?? '';
const BREAKING = process.env.BREAKING === '1';
// The interfaces `wasm-tools component wit` prints for wasi:http/proxy (0.2.x).
const PROXY_INTERFACES = ['incoming-handler', 'outgoing-handler', 'types', 'stdin', 'stdout', 'stderr',
  'monotonic-clock', 'wall-clock', 'error', 'poll', 'streams', 'random'];

const t0 = Date.now();
const log = (msg) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);
const nbsp = (s) => s.replace(/\u00a0/g, ' ');

let browser;
let page;

async function shot(name) {
  const file = path.join(OUT, `${name}.png`);
  await page.screenshot({ path: file });
  log(`screenshot ${file}`);
}

/** The rendered token span whose text is exactly `text` (first match, optionally on a line containing `lineHint`). */
async function tokenInfo(text, lineHint) {
  return page.evaluate(
    ([text, lineHint]) => {
      const norm = (s) => s.replace(/\u00a0/g, ' ');
      for (const line of document.querySelectorAll('.monaco-editor .view-lines .view-line')) {
        if (lineHint && !norm(line.textContent).includes(lineHint)) continue;
        for (const span of line.querySelectorAll('span[class*="mtk"]')) {
          if (norm(span.textContent).trim() === text) {
            const r = span.getBoundingClientRect();
            return { text, cls: span.className, color: getComputedStyle(span).color, x: r.x, y: r.y, w: r.width, h: r.height };
          }
        }
      }
      return null;
    },
    [text, lineHint],
  );
}

/** Screen position of the middle of `word` inside the editor line containing `lineHint`. */
async function wordBox(word, lineHint) {
  return page.evaluate(
    ([word, lineHint]) => {
      const norm = (s) => s.replace(/\u00a0/g, ' ');
      for (const line of document.querySelectorAll('.monaco-editor .view-lines .view-line')) {
        if (!norm(line.textContent).includes(lineHint)) continue;
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const i = norm(n.textContent).indexOf(word);
          if (i < 0) continue;
          const range = document.createRange();
          range.setStart(n, i);
          range.setEnd(n, i + word.length);
          const b = range.getBoundingClientRect();
          return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
        }
      }
      return null;
    },
    [word, lineHint],
  );
}

/** What is drawn at a screen point: the editor line's text and the element's own text. */
async function under(x, y) {
  return page.evaluate(([x, y]) => {
    const norm = (s) => s.replace(/\u00a0/g, ' ');
    const el = document.elementFromPoint(x, y);
    const line = el?.closest('.view-line');
    return { element: el ? `${el.tagName.toLowerCase()}.${el.className}` : null,
      text: el ? norm(el.textContent).slice(0, 80) : null, line: line ? norm(line.textContent) : null };
  }, [x, y]);
}

/** How many code lenses the editor shows. */
async function lensCount() {
  return page.locator('.monaco-editor .codelens-decoration').count();
}

/** A subtest that saves a screenshot when it fails. */
function step(t, name, opts, fn) {
  return t.test(name, opts, async () => {
    try {
      await fn();
    } catch (err) {
      await shot(`failed-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`).catch(() => {});
      throw err;
    }
  });
}

/** Runs a command by its palette title. */
async function runCommand(title) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input').first();
  await input.waitFor({ timeout: 15_000 });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 15_000 });
  await input.press('Enter');
}

async function openFromExplorer(name) {
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first().click();
  await page.locator('.tabs-container .tab', { hasText: name }).first().waitFor({ timeout: 30_000 });
  await page.waitForSelector('.editor-instance .view-lines .view-line', { timeout: 30_000 });
}

test('WIT extension in a real workbench', { timeout: BUNDLED ? 420_000 : 240_000 }, async (t) => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--no-first-run'],
  });
  try {
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (e) => log(`pageerror: ${e.message}`));
    await page.goto(`${CS_URL}/?folder=${encodeURIComponent(WS_DIR)}`);
    await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
    await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 90_000 });
    log(`workbench loaded (${new Date().toISOString()})`);

    await step(t, 'opens app.wit in WIT mode', {}, async () => {
      await openFromExplorer('app.wit');
      await page.waitForFunction(
        () => /WIT/.test(document.querySelector('#status\\.editor\\.mode')?.textContent ?? ''),
        null,
        { timeout: 30_000 },
      );
      log('language mode: WIT');
    });

    await step(t, 'keyword, type, comment and identifier have distinct colours (TextMate)', {}, async () => {
      // wait until tokenization has coloured the keyword
      await page.waitForFunction(() => {
        const s = [...document.querySelectorAll('.monaco-editor .view-lines span[class*="mtk"]')]
          .find((x) => x.textContent.replace(/\u00a0/g, ' ').trim() === 'interface');
        return s && !/\bmtk1\b/.test(s.className);
      }, null, { timeout: 30_000 });
      const tokens = {
        keyword: await tokenInfo('interface', 'interface logging'),
        type: await tokenInfo('string', 'message: string'),
        comment: await tokenInfo('/* block comments /* nest */ too */'),
        identifier: await tokenInfo('write-entry', 'write-entry'),
      };
      log(`tokens: ${JSON.stringify(Object.fromEntries(Object.entries(tokens).map(([k, v]) => [k, v && `${v.text} ${v.color}`])))}`);
      for (const [k, v] of Object.entries(tokens)) assert.ok(v, `no token span found for the ${k}`);
      const colours = Object.values(tokens).map((v) => v.color);
      assert.equal(new Set(colours).size, colours.length, `colours not distinct: ${colours.join(', ')}`);
      await shot('highlighting');
    });

    await step(t, 'status bar shows the server state', {}, async () => {
      const item = page.locator('.statusbar-item', { hasText: 'wit-ls' }).first();
      await item.waitFor({ timeout: 30_000 });
      // whatever the outcome, the client must leave the "starting" state
      const settled = WITH_SERVER ? /wit-ls v\d/ : /wit-ls(: not found|: error|: stopped| v\d)/;
      // Installing the bundled server into a fresh environment comes first in that mode.
      await page.locator('.statusbar-item', { hasText: settled }).first().waitFor({ timeout: BUNDLED ? 180_000 : 60_000 });
      log(`status bar: ${nbsp(await page.locator('.statusbar-item', { hasText: settled }).first().innerText())}`);
      if (!WITH_SERVER) {
        // without a server the extension offers to install one
        const toast = page.locator('.notifications-toasts', { hasText: 'was not found' });
        await toast.first().waitFor({ timeout: 30_000 }).then(
          async () => log(`notification: ${nbsp(await toast.first().innerText()).replace(/\n/g, ' | ')}`),
          () => log('no "not found" notification (a wit-ls was found on this machine)'),
        );
        await shot('no-server');
      }
    });

    await step(t, 'command "WIT: Show Language Server Output" selects the extension output channel', {}, async () => {
      await runCommand('WIT: Show Language Server Output');
      // The channel's text is not checked: without code-server's native modules (spdlog) output
      // channels stay empty in this setup. The command must select the extension's channel.
      await page.waitForFunction(
        () => [...document.querySelectorAll('.panel select')].some((sel) => sel.selectedOptions[0]?.text === 'WIT Language Server'),
        null,
        { timeout: 30_000 },
      );
      log('output panel shows the "WIT Language Server" channel');
      await page.keyboard.press('Control+J'); // hide the panel again
    });

    await step(t, 'hover text comes from the server', { skip: !WITH_SERVER && NO_SERVER }, async () => {
      // Not just any text: the widget first shows "Loading..." while the server answers.
      const hover = page.locator('.monaco-hover-content', { hasText: /output-stream/ });
      // A hover that arrives while the editor is busy can be dropped: move away and back
      // until it shows (30 s in all). The word is looked up before each try: the code lenses
      // above it (the server's first answers, which may still be coming: the status bar shows
      // the server as running as soon as `initialize` is answered) move it down, and a pointer
      // left where the word was would hover over an empty line for the rest of the step.
      let shown = false;
      for (let i = 0; i < 10 && !shown; i++) {
        const box = await wordBox('output-stream', 'borrow<output-stream>');
        assert.ok(box, 'word output-stream not on screen');
        await page.mouse.move(box.x - 60, box.y + 60);
        await page.mouse.move(box.x, box.y);
        shown = await hover.first().waitFor({ timeout: 3_000 }).then(() => true, () => false);
        if (!shown) {
          const widget = await page.locator('.monaco-hover-content').allInnerTexts().catch(() => []);
          log(`hover try ${i + 1} at ${Math.round(box.x)},${Math.round(box.y)}: nothing yet; under the pointer ${JSON.stringify(await under(box.x, box.y))}, hover widgets ${JSON.stringify(widget.map(nbsp))}, ${await lensCount()} code lenses`);
        }
      }
      assert.ok(shown, 'no hover widget naming output-stream appeared over output-stream');
      const text = nbsp(await hover.first().innerText());
      log(`hover: ${JSON.stringify(text)}`);
      assert.match(text, /output-stream/);
      // the mock echoes the settings it got through workspace/configuration (set by run.sh)
      if (MOCK) assert.match(text, /preset=strict, features=e2e-feature/);
      if (MOCK && BREAKING) assert.match(text, /against=HEAD, outside=false/);
      await shot('hover');
      await page.keyboard.press('Escape');
    });

    await step(t, 'go to definition opens a file in deps/', { skip: !WITH_SERVER && NO_SERVER }, async () => {
      // on the imported name in the `use` item: its definition is the resource in deps/io/streams.wit
      const box = await wordBox('output-stream', 'use wasi:io/streams@0.2.0.{');
      assert.ok(box, 'use line not on screen');
      await page.mouse.click(box.x, box.y);
      await page.keyboard.press('F12');
      await page.locator('.tabs-container .tab', { hasText: 'streams.wit' }).first().waitFor({ timeout: 30_000 });
      const title = nbsp(await page.locator('.tabs-container .tab.active').first().innerText());
      log(`definition opened tab: ${title}`);
      const crumbs = nbsp(await page.locator('.breadcrumbs-control').first().innerText().catch(() => ''));
      log(`breadcrumbs: ${JSON.stringify(crumbs)}`);
      assert.match(title, /streams/);
      assert.match(crumbs, /deps\s*\n?\s*io\s*\n?\s*streams\.wit/, 'the definition is in deps/io/streams.wit');
      await shot('definition');
      // back to app.wit for the next step
      await page.locator('.tabs-container .tab', { hasText: 'app.wit' }).first().click();
    });

    await step(t, 'command "WIT: Show Syntax Tree" opens a read-only view', { skip: !MOCK && 'only against the mock server' }, async () => {
      await page.locator('.tabs-container .tab', { hasText: 'app.wit' }).first().click();
      await page.locator('.monaco-editor .view-lines').first().click();
      await page.waitForTimeout(500); // let the extension host see the active editor
      await runCommand('WIT: Show Syntax Tree');
      await page.locator('.tabs-container .tab', { hasText: 'app.wit.txt' }).first().waitFor({ timeout: 30_000 });
      await page.locator('.view-lines', { hasText: '(source_file)' }).first().waitFor({ timeout: 15_000 });
      log('syntax tree view opened');
      await shot('syntax-tree');
      await page.locator('.tabs-container .tab', { hasText: 'app.wit' }).first().click();
    });

    const graphSkip = (!WITH_SERVER && NO_SERVER) || (MOCK && 'needs the real server') || (BUNDLED && 'covered by the auto run')
      || (!WASI_HTTP && 'no wasi-http copy (the shared corpus is not beside the checkout)');
    await step(t, 'world graph of wasi:http/proxy: code lens, Mermaid drawing, node opens its definition', { skip: graphSkip }, async () => {
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget input').first();
      await input.waitFor({ timeout: 15_000 });
      await input.fill('wasi-http/proxy.wit');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'proxy.wit' }).first().waitFor({ timeout: 15_000 });
      await input.press('Enter');
      await page.locator('.tabs-container .tab.active', { hasText: 'proxy.wit' }).first().waitFor({ timeout: 30_000 });
      // One "World graph" lens above each world (imports, proxy): the second is proxy's.
      const lenses = page.locator('.monaco-editor .codelens-decoration a', { hasText: 'World graph' });
      await lenses.nth(1).waitFor({ timeout: 30_000 });
      log(`code lenses: ${await lenses.count()}`);
      await lenses.nth(1).click();
      const tab = page.locator('.tabs-container .tab', { hasText: 'World graph: proxy' }).first();
      await tab.waitFor({ timeout: 30_000 });
      const view = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
      await view.locator('body[data-rendered]').waitFor({ timeout: 60_000 });
      const nodes = await view.locator('g.node[data-wit-id]').evaluateAll((gs) => gs.map((g) => ({
        id: g.getAttribute('data-wit-id'), kind: g.getAttribute('data-wit-kind'),
        text: [...g.childNodes].filter((c) => c.nodeName !== 'title').map((c) => c.textContent).join(' ')
          .replace(/\s+/g, ' ').trim(),
        w: g.getBoundingClientRect().width,
      })));
      log(`graph nodes: ${JSON.stringify(nodes.map((n) => `${n.kind}:${n.text}`))}`);
      const interfaces = nodes.filter((n) => n.kind === 'interface');
      assert.deepEqual(interfaces.map((n) => n.text).sort(), [...PROXY_INTERFACES].sort());
      assert.ok(interfaces.every((n) => n.w > 10), 'every interface node is drawn with a size');
      assert.ok(nodes.some((n) => n.kind === 'world' && /proxy/.test(n.text)));
      const why = await view.locator('#why').innerText();
      assert.match(why, /Exports \(1\)/);
      await shot('world-graph');
      // A click on an interface node opens its definition.
      await view.locator('g.node[data-wit-id^="wasi:io/streams@"]').first().click();
      await page.locator('.tabs-container .tab.active', { hasText: 'streams.wit' }).first().waitFor({ timeout: 30_000 });
      log('clicking the streams node opened streams.wit');
    });

    await step(t, 'command "WIT: Show World Graph" draws the world at the cursor', { skip: graphSkip }, async () => {
      await page.locator('.tabs-container .tab', { hasText: 'proxy.wit' }).first().click();
      const box = await wordBox('imports', 'world imports');
      assert.ok(box, 'world imports not on screen');
      await page.mouse.click(box.x, box.y);
      await page.waitForTimeout(300);
      await runCommand('WIT: Show World Graph');
      await page.locator('.tabs-container .tab', { hasText: 'World graph: imports' }).first().waitFor({ timeout: 30_000 });
      const view = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
      await view.locator('g.node[data-wit-id^="wasi:http/imports@"]').waitFor({ timeout: 60_000 });
      await view.locator('g.node[data-wit-id^="wasi:http/proxy@"]').waitFor({ state: 'detached', timeout: 30_000 });
      const worlds = await view.locator('g.node[data-wit-kind="world"]').evaluateAll((gs) => gs.map((g) =>
        [...g.childNodes].filter((c) => c.nodeName !== 'title').map((c) => c.textContent).join(' ').replace(/\s+/g, ' ').trim()));
      log(`worlds drawn: ${JSON.stringify(worlds)}`);
      assert.deepEqual(worlds, ['world imports']);
      await shot('world-graph-imports');
      // Leave the workbench as the next steps expect it: only app.wit open.
      await runCommand('View: Close All Editors');
      await openFromExplorer('app.wit');
    });

    const breakingSkip = (!WITH_SERVER && NO_SERVER) || (MOCK && 'needs the real server')
      || (!BREAKING && 'the workspace is not a git repository (no git on PATH)');
    await step(t, 'a breaking change since HEAD shows up in the Problems panel', { skip: breakingSkip }, async () => {
      // A new case in `enum level` of the committed app.wit: both importers and exporters of
      // `logging` break, within the 0.1 version track.
      const box = await wordBox('error', 'enum level');
      assert.ok(box, 'the enum line is not on screen');
      await page.mouse.click(box.x, box.y);
      await page.keyboard.press('End');
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.type(', fatal', { delay: 5 });
      await page.keyboard.press('Control+Shift+M');
      const row = page.locator('.markers-panel .monaco-list-row', { hasText: /fatal/ });
      await row.first().waitFor({ timeout: 60_000 });
      const problem = nbsp(await row.first().innerText());
      log(`breaking problem: ${JSON.stringify(problem)}`);
      assert.match(problem, /case `fatal` was added/);
      assert.match(problem, /breaks importers and exporters/);
      assert.match(problem, /B504/);
      await shot('problems-breaking');
      await page.keyboard.press('Control+J'); // hide the panel again
    });

    await step(t, 'an error shows up in the Problems panel', { skip: !WITH_SERVER && NO_SERVER }, async () => {
      await page.locator('.monaco-editor .view-lines').first().click();
      await page.keyboard.press('Control+End');
      await page.keyboard.press('Enter');
      await page.keyboard.type('interface oops { f: func() -> no-such-type; }', { delay: 5 });
      await page.keyboard.press('Control+Shift+M');
      const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'no-such-type' });
      await row.first().waitFor({ timeout: 60_000 });
      // The row itself: with the wasi-http copy in the workspace the panel holds many more
      // problems, re-sorted as they arrive, so the whole panel's text may not show this one.
      const problem = nbsp(await row.first().innerText());
      log(`problem: ${JSON.stringify(problem)}`);
      assert.match(problem, /no-such-type/);
      await shot('problems');
    });
  } finally {
    await browser.close();
  }
});
