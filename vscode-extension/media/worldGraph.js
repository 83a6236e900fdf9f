// Webview script of the world graph view (see src/worldGraph.ts): draws the Mermaid text the
// language server produced with the bundled Mermaid, makes each node open its definition, and
// lists why each interface is in the world.
/* global mermaid, acquireVsCodeApi */
(function () {
  'use strict';
  const vscode = acquireVsCodeApi();
  const graphEl = document.getElementById('graph');
  const whyEl = document.getElementById('why');
  const worldEl = document.getElementById('world');
  const dark = document.body.classList.contains('vscode-dark') || document.body.classList.contains('vscode-high-contrast');
  mermaid.initialize({
    startOnLoad: false,
    securityLevel: 'strict',
    theme: dark ? 'dark' : 'default',
    flowchart: { htmlLabels: false, curve: 'basis', useMaxWidth: true },
    maxTextSize: 500000,
    maxEdges: 5000,
  });
  let renders = 0;

  function short(id) {
    return id.replace(/@[^/#]*$/, '');
  }

  function chainText(item) {
    if (!item.via.length) return 'declared in the world itself';
    return item.via.map((e) => `${short(e.from)} ${e.kind}${e.label ? ' ' + e.label : ''} ${short(e.to)}`).join(' → ');
  }

  function showWhy(model) {
    whyEl.textContent = '';
    if (!model.world) return;
    for (const [title, items] of [['Imports', model.imports], ['Exports', model.exports]]) {
      if (!items.length) continue;
      const h = document.createElement('h3');
      h.textContent = `${title} (${items.length})`;
      whyEl.appendChild(h);
      const ul = document.createElement('ul');
      for (const item of items) {
        const li = document.createElement('li');
        const name = document.createElement('code');
        name.textContent = item.kind === 'interface' ? short(item.interface) : `${item.kind} ${item.name}`;
        li.appendChild(name);
        li.appendChild(document.createTextNode(`: ${chainText(item)}`));
        ul.appendChild(li);
      }
      whyEl.appendChild(ul);
    }
  }

  function wireClicks(model) {
    const byDrawId = new Map(model.nodes.map((n) => [n.drawId, n]));
    for (const g of graphEl.querySelectorAll('g.node')) {
      const m = /(?:^|-)(n\d+)-\d+$/.exec(g.id || '') || /^(n\d+)$/.exec(g.getAttribute('data-id') || '');
      const node = m && byDrawId.get(m[1]);
      if (!node) continue;
      g.setAttribute('data-wit-id', node.id);
      g.setAttribute('data-wit-kind', node.kind);
      g.setAttribute('role', 'link');
      g.setAttribute('tabindex', '0');
      const title = document.createElementNS('http://www.w3.org/2000/svg', 'title');
      title.textContent = `${node.id}${node.hasLocation ? ' (click to open)' : ''}`;
      g.insertBefore(title, g.firstChild);
      if (!node.hasLocation) continue;
      g.classList.add('wit-link');
      const open = () => vscode.postMessage({ type: 'open', id: node.id });
      g.addEventListener('click', open);
      g.addEventListener('keydown', (e) => { if (e.key === 'Enter') open(); });
    }
  }

  async function draw(model) {
    worldEl.textContent = '';
    const all = document.createElement('option');
    all.value = '';
    all.textContent = '(whole package root)';
    worldEl.appendChild(all);
    for (const w of model.worlds) {
      const o = document.createElement('option');
      o.value = w;
      o.textContent = w;
      o.selected = w === model.world;
      worldEl.appendChild(o);
    }
    try {
      const { svg } = await mermaid.render(`wit-graph-${++renders}`, model.mermaid);
      graphEl.innerHTML = svg;
      const drawn = graphEl.querySelector('svg');
      if (drawn && graphEl.classList.contains('natural')) drawn.style.width = drawn.style.maxWidth || '';
      wireClicks(model);
      document.body.setAttribute('data-rendered', String(renders));
    } catch (err) {
      graphEl.textContent = `Mermaid could not draw the graph: ${err && err.message ? err.message : err}`;
      document.body.setAttribute('data-error', String(err));
    }
    showWhy(model);
  }

  // "Fit" scales the drawing to the panel; "100%" shows it at its natural size, scrolled.
  const zoomEl = document.getElementById('zoom');
  zoomEl.addEventListener('click', () => {
    const natural = graphEl.classList.toggle('natural');
    zoomEl.textContent = natural ? 'Fit' : '100%';
    const svg = graphEl.querySelector('svg');
    if (svg) svg.style.width = natural ? svg.style.maxWidth || '' : '';
  });

  worldEl.addEventListener('change', () => vscode.postMessage({ type: 'world', world: worldEl.value || '*' }));
  window.addEventListener('message', (event) => {
    const msg = event.data;
    if (msg && msg.type === 'graph') void draw(msg.model);
  });
  vscode.postMessage({ type: 'ready' });
})();
