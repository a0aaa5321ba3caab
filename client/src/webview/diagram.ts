/// <reference lib="dom" />
// The network diagram, inside the webview: draws the host the extension sends (xen/hostView's
// answer) as the article does — upstream, eth0, the host, dummy0 with the guests' gateway, a vif
// per guest, the guests with their addresses and names — laid out by dagre (no hand-placed
// coordinates), coloured by the VS Code theme's variables, problems marked on their element,
// each element opening its line. It answers the extension's requests for its element list and
// for the drawing as a standalone SVG. Bundled for the browser by scripts/build.mjs.
import dagre from '@dagrejs/dagre';
import type { HostView, ViewPlace, ViewProblem } from '../../../server/src/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;
const vscode = acquireVsCodeApi();

const SVG = 'http://www.w3.org/2000/svg';

type Kind = 'upstream' | 'uplink' | 'host' | 'gateway' | 'vif' | 'guest' | 'iface';

interface Item {
  id: string;
  kind: Kind;
  lines: string[];
  place?: ViewPlace;
  problems: ViewProblem[];
}

export interface DrawnElement {
  id: string;
  kind: Kind;
  lines: string[];
  uri?: string;
  line?: number;
  problems: string[];
  /** The class the element was drawn with for its problems ('' when none). */
  marked: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The elements and edges of a host, as the article draws one. */
function elementsOf(v: HostView): { elements: Item[]; edges: [string, string, string?][] } {
  const elements: Item[] = [];
  const edges: [string, string, string?][] = [];
  const uplink = v.interfaces.find((i) => i.kind === 'uplink');
  const gwIface = v.interfaces.find((i) => i.kind === 'gateway');
  const host = 'host';
  if (uplink) {
    elements.push({
      id: 'upstream',
      kind: 'upstream',
      lines: ['upstream', uplink.gateway ? `router ${uplink.gateway}` : "the provider's network"],
      place: uplink.place,
      problems: [],
    });
    elements.push({
      id: 'uplink',
      kind: 'uplink',
      lines: [uplink.name, uplink.address ? `${uplink.address}${uplink.prefix !== undefined ? '/' + uplink.prefix : ''}` : uplink.method],
      place: uplink.place,
      problems: uplink.problems,
    });
    edges.push(['upstream', 'uplink'], ['uplink', host]);
  }
  elements.push({
    id: host,
    kind: 'host',
    lines: [`${v.name} (dom0)`, `${v.mode}${v.subnet ? ' ' + v.subnet : ''}`, `${v.free} of ${v.usable} free`],
    place: v.subnetPlace,
    problems: [],
  });
  const gwName = v.gateway?.interface ?? gwIface?.name;
  let via = host;
  if (gwName) {
    elements.push({
      id: 'gateway',
      kind: 'gateway',
      lines: [gwName, v.gateway ? `gateway ${v.gateway.address}` : 'no address'],
      place: v.gateway?.place ?? gwIface?.place,
      problems: gwIface?.problems ?? [],
    });
    edges.push([host, 'gateway']);
    via = 'gateway';
  }
  for (const i of v.interfaces) {
    if (i.kind !== 'other') continue;
    const id = `iface:${i.name}`;
    elements.push({
      id,
      kind: 'iface',
      lines: [i.name, i.address ? `${i.address}${i.prefix !== undefined ? '/' + i.prefix : ''}` : i.method],
      place: i.place,
      problems: i.problems,
    });
    edges.push([host, id]);
  }
  v.guests.forEach((g, gi) => {
    const gid = `guest:${gi}`;
    const ips = g.vifs.flatMap((x) => x.ips);
    // the guest's problems that no vif shows already (the messages come as JSON: compared by place and code)
    const key = (p: ViewProblem) => `${p.code}@${p.range.start.line}:${p.range.start.character}`;
    const onVifs = new Set(g.vifs.flatMap((x) => x.problems.map(key)));
    const own = g.problems.filter((p) => !onVifs.has(key(p)));
    elements.push({ id: gid, kind: 'guest', lines: [g.name, ips.length ? ips.join(', ') : 'no address', g.file], place: g.place, problems: own });
    if (!g.vifs.length) edges.push([via, gid]);
    for (const x of g.vifs) {
      const vid = `vif:${gi}:${x.index}`;
      elements.push({
        id: vid,
        kind: 'vif',
        lines: [`vif<id>.${x.index}`, x.ips.length ? `route ${x.ips.join(', ')}` : 'no ip=', x.mode],
        place: x.place,
        problems: x.problems,
      });
      edges.push([via, vid], [vid, gid]);
    }
  });
  return { elements, edges };
}

function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number> = {}, parent?: SVGElement): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, name);
  for (const [k, val] of Object.entries(attrs)) e.setAttribute(k, String(val));
  if (parent) parent.appendChild(e);
  return e;
}

const PAD_X = 12;
const PAD_Y = 8;
const LINE = 16;

let drawn: DrawnElement[] = [];
let current: HostView | null = null;
let seq = 0;

function severityClass(problems: ViewProblem[]): string {
  if (problems.some((p) => p.severity === 'error')) return 'problem-error';
  if (problems.length) return 'problem-warning';
  return '';
}

function render(v: HostView): void {
  current = v;
  const host = document.getElementById('diagram')!;
  const title = document.getElementById('title')!;
  title.textContent = `${v.name}: ${v.mode}${v.subnet ? ' ' + v.subnet : ', no routed subnet'} · ${v.free} free${v.problems.length ? ` · ${v.problems.length} problem${v.problems.length === 1 ? '' : 's'}` : ''}`;
  const { elements, edges } = elementsOf(v);

  const svg = el('svg', { xmlns: SVG, role: 'img', 'aria-label': `Network of ${v.name}` });
  const defs = el('defs', {}, svg);
  const marker = el('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, defs);
  el('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow' }, marker);
  host.replaceChildren(svg);

  // measure the labels, then lay the graph out
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'TB', nodesep: 28, ranksep: 42, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  const groups = new Map<string, { group: SVGGElement; width: number; height: number }>();
  for (const e of elements) {
    const cls = severityClass(e.problems);
    const group = el('g', { class: `node kind-${e.kind}${cls ? ' ' + cls : ''}${e.place ? ' link' : ''}`, 'data-id': e.id }, svg);
    const rect = el('rect', { rx: e.kind === 'guest' || e.kind === 'upstream' ? 10 : 3 }, group);
    const text = el('text', {}, group);
    let width = 0;
    e.lines.forEach((line, i) => {
      const t = el('tspan', { class: i === 0 ? 'name' : 'detail' }, text);
      t.textContent = line;
      width = Math.max(width, t.getComputedTextLength());
    });
    const w = Math.ceil(width) + PAD_X * 2;
    const h = e.lines.length * LINE + PAD_Y * 2;
    rect.setAttribute('width', String(w));
    rect.setAttribute('height', String(h));
    const tip = [e.lines.join(' — ')];
    for (const p of e.problems) tip.push(`${p.severity}: ${p.message} (${p.code})`);
    if (e.place) tip.push('Click to open its line.');
    const titleEl = el('title', {}, group);
    titleEl.textContent = tip.join('\n');
    if (e.place) {
      group.setAttribute('tabindex', '0');
      group.setAttribute('role', 'link');
      group.setAttribute('aria-label', tip.join('. '));
      const open = () => vscode.postMessage({ type: 'open', place: e.place });
      group.addEventListener('click', open);
      group.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter' || ev.key === ' ') {
          ev.preventDefault();
          open();
        }
      });
    }
    groups.set(e.id, { group, width: w, height: h });
    g.setNode(e.id, { width: w, height: h });
  }
  for (const [a, b] of edges) g.setEdge(a, b);
  dagre.layout(g);

  const graph = g.graph();
  const W = Math.ceil(graph.width ?? 200);
  const H = Math.ceil(graph.height ?? 100);
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.setAttribute('width', String(W));
  svg.setAttribute('height', String(H));

  const edgeLayer = el('g', { class: 'edges' });
  svg.insertBefore(edgeLayer, defs.nextSibling);
  for (const e of g.edges()) {
    const pts = g.edge(e).points ?? [];
    if (!pts.length) continue;
    const d = pts.map((p: { x: number; y: number }, i: number) => `${i ? 'L' : 'M'} ${p.x.toFixed(1)} ${p.y.toFixed(1)}`).join(' ');
    el('path', { d, class: `edge from-${e.v.replace(/[^a-z]/g, '')}`, 'marker-end': 'url(#arrow)' }, edgeLayer);
  }

  drawn = [];
  for (const e of elements) {
    const n = g.node(e.id);
    const m = groups.get(e.id)!;
    const x = (n.x ?? 0) - m.width / 2;
    const y = (n.y ?? 0) - m.height / 2;
    m.group.setAttribute('transform', `translate(${x.toFixed(1)} ${y.toFixed(1)})`);
    const text = m.group.querySelector('text')!;
    text.querySelectorAll('tspan').forEach((t, i) => {
      t.setAttribute('x', String(PAD_X));
      t.setAttribute('y', String(PAD_Y + LINE * (i + 1) - 4));
    });
    const cls = severityClass(e.problems);
    if (cls) {
      const badge = el('g', { class: 'badge', transform: `translate(${m.width} 0)` }, m.group);
      el('circle', { r: 8 }, badge);
      const bang = el('text', { 'text-anchor': 'middle', y: 4 }, badge);
      bang.textContent = '!';
    }
    const d: DrawnElement = {
      id: e.id,
      kind: e.kind,
      lines: e.lines,
      problems: e.problems.map((p) => p.code),
      marked: cls,
      x: Math.round(x),
      y: Math.round(y),
      width: m.width,
      height: m.height,
    };
    if (e.place) {
      d.uri = e.place.uri;
      d.line = e.place.range.start.line;
    }
    drawn.push(d);
  }
}

/** The drawing as a standalone SVG: the theme's colours written into the elements. */
function standaloneSvg(): string {
  const live = document.querySelector('#diagram svg') as SVGSVGElement | null;
  if (!live) return '';
  const copy = live.cloneNode(true) as SVGSVGElement;
  const props = ['fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'font-family', 'font-size', 'font-weight', 'opacity'];
  const a = [live, ...Array.from(live.querySelectorAll('*'))];
  const b = [copy, ...Array.from(copy.querySelectorAll('*'))];
  a.forEach((orig, i) => {
    const cs = getComputedStyle(orig);
    for (const p of props) {
      const val = cs.getPropertyValue(p);
      if (val) b[i].setAttribute(p, val);
    }
    b[i].removeAttribute('tabindex');
    b[i].removeAttribute('class');
  });
  const bg = document.createElementNS(SVG, 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', getComputedStyle(document.body).backgroundColor);
  copy.insertBefore(bg, copy.firstChild);
  copy.setAttribute('xmlns', SVG);
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(copy) + '\n';
}

window.addEventListener('message', (ev: MessageEvent) => {
  const m = ev.data as { type: string; view?: HostView | null; id?: number; seq?: number; message?: string };
  switch (m.type) {
    case 'view':
      seq = m.seq ?? seq + 1;
      if (m.view) render(m.view);
      else {
        current = null;
        drawn = [];
        document.getElementById('title')!.textContent = m.message ?? 'No host.';
        document.getElementById('diagram')!.replaceChildren();
      }
      vscode.postMessage({ type: 'rendered', seq, count: drawn.length });
      break;
    case 'elements':
      vscode.postMessage({ type: 'elements', id: m.id, seq, host: current?.name ?? null, elements: drawn, theme: document.body.className });
      break;
    case 'export':
      vscode.postMessage({ type: 'svg', id: m.id, text: standaloneSvg() });
      break;
  }
});

document.getElementById('export')!.addEventListener('click', () => vscode.postMessage({ type: 'exportRequest' }));
vscode.postMessage({ type: 'ready' });
