// The single-page app: header, banners, hash router, and the live stream routed to the open page.
import { h, add, clear, $ } from './dom.js';
import { config, state, setState, onStateChange } from './state.js';
import { t } from './i18n.js';
import { startLive, on as onLive, isConnected } from './live.js';
import * as overview from './pages/overview.js';
import * as matrix from './pages/matrix.js';
import * as casePage from './pages/case.js';
import * as district from './pages/district.js';
import * as alerts from './pages/alerts.js';
import * as feed from './pages/feed.js';
import * as workspace from './pages/workspace.js';
import * as duban from './pages/duban.js';
import * as bulletinsPage from './pages/bulletins.js';
import * as scores from './pages/scores.js';
import { closeDrawer } from './cell-drawer.js';
import { shanghaiToday } from './format.js';

const PAGES = { overview, matrix, duban, bulletins: bulletinsPage, scores, case: casePage, district, alerts, feed, workspace };
const NAV = ['overview', 'matrix', 'duban', 'bulletins', 'scores', 'case', 'district', 'alerts', 'feed', 'workspace'];

let current = null;
let mountCount = 0;

function parseRoute() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = hash.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const page = PAGES[parts[0]] ? parts[0] : 'overview';
  return { page, params: parts.slice(1), query: new URLSearchParams(query) };
}

function renderShell() {
  const app = $('#app');
  clear(app);
  document.documentElement.lang = state.lang === 'en' ? 'en' : 'zh-CN';
  document.title = t('app.title');
  const route = parseRoute();
  const nav = h('nav', { class: 'nav', 'aria-label': 'main' },
    NAV.map((name) => h('a', {
      href: `#/${name}`, class: `nav-link${route.page === name ? ' active' : ''}`, id: `nav-${name}`,
    }, t(`nav.${name}`))));
  const asOfInput = h('input', {
    type: 'date', id: 'asof-input', value: state.asOf || '', max: shanghaiToday(),
    title: t('asof.title'), 'aria-label': t('asof.title'),
    onchange: (e) => setState({ asOf: e.target.value || null }),
  });
  const header = h('header', { class: 'topbar' },
    h('a', { class: 'brand', href: '#/overview' },
      h('span', { class: 'brand-mark' }, '复'),
      h('span', { class: 'brand-text' },
        h('strong', { id: 'app-title' }, t('app.title')),
        h('small', null, t('app.subtitle')))),
    nav,
    h('div', { class: 'topbar-tools' },
      config.demo ? h('span', { class: 'demo-badge', id: 'demo-badge' }, t('demo.badge')) : null,
      h('label', { class: 'asof' }, h('span', null, t('asof.label')), asOfInput,
        state.asOf ? h('button', { class: 'link-button', id: 'asof-live', onclick: () => setState({ asOf: null }) }, t('asof.live')) : null),
      h('span', { class: 'live-indicator', id: 'live-indicator' }),
      h('button', {
        class: 'lang-button', id: 'lang-switch', title: t('lang.switch.title'),
        onclick: () => setState({ lang: state.lang === 'en' ? 'zh' : 'en' }),
      }, t('lang.switch'))));
  add(app, header);
  if (config.demo) {
    add(app, h('div', { class: 'banner demo-banner', id: 'demo-banner', role: 'status' }, t('demo.banner')));
  }
  if (state.asOf) {
    add(app, h('div', { class: 'banner asof-banner', id: 'asof-banner', role: 'status' },
      t('asof.banner', { date: state.asOf }), ' ',
      h('button', { class: 'link-button', onclick: () => setState({ asOf: null }) }, t('asof.back'))));
  }
  add(app, h('main', { id: 'page', class: 'page' }));
  updateIndicator();
}

function updateIndicator() {
  const el = $('#live-indicator');
  if (!el) return;
  const mode = state.asOf ? 'paused' : isConnected() ? 'on' : 'off';
  el.className = `live-indicator ${mode}`;
  el.dataset.state = mode;
  el.textContent = t(`live.${mode}`);
}

async function mountPage() {
  closeDrawer();
  if (current && current.unmount) {
    try {
      current.unmount();
    } catch (e) {
      console.error(e);
    }
  }
  current = null;
  renderShell();
  const route = parseRoute();
  const root = $('#page');
  root.dataset.page = route.page;
  const token = ++mountCount;
  try {
    const mounted = await PAGES[route.page].mount(root, route);
    if (token === mountCount) current = mounted || {};
    else if (mounted && mounted.unmount) mounted.unmount();
  } catch (e) {
    console.error(e);
    if (token === mountCount) {
      add(clear(root), h('div', { class: 'error-box' }, t('common.error', { message: e.message }), ' ',
        h('button', { class: 'link-button', onclick: mountPage }, t('common.retry'))));
    }
  }
}

window.addEventListener('hashchange', mountPage);
// Back from the back/forward cache: what the page shows is old and its stream was closed; start afresh.
window.addEventListener('pageshow', (event) => {
  if (event.persisted) mountPage();
});
onStateChange((changes) => {
  if ('lang' in changes || 'asOf' in changes || 'batch' in changes) mountPage();
});
onLive('connection', updateIndicator);
onLive('status', (event) => {
  if (!state.asOf && current && current.onStatus) current.onStatus(event);
});
onLive('alert', (event) => {
  if (!state.asOf && current && current.onAlert) current.onAlert(event);
});

startLive();
mountPage();
