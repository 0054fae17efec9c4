// Alerts: the latest health changes pushed by the status service (kept by the dashboard server since
// it started, then live), and every cell that is red or yellow now, with the rules that made it so.
import { h, add, clear } from '../dom.js';
import { t, pick, districtName } from '../i18n.js';
import { state } from '../state.js';
import { catalog, status, dashboard } from '../api.js';
import * as fmt from '../format.js';
import { openCell } from '../cell-drawer.js';
import { section, loading, ruleList } from '../widgets.js';

/** A change worth the city office's attention: to or from red or yellow (not a new cell turning green). */
export function isWarning(a) {
  return ['RED', 'YELLOW'].includes(a.health) || ['RED', 'YELLOW'].includes(a.previousHealth);
}

/** One alert as a list item: time, case, district, previous → new health, reason. */
export function alertItem(a, byCase, districts) {
  const entry = byCase.get(a.caseId);
  return h('li', { class: `alert-item health-${a.health}`, dataset: { case: a.caseId, district: a.districtCode } },
    h('div', { class: 'alert-line' },
      h('i', { class: `dot health-${a.health}` }),
      h('strong', null, districtName(districts, a.districtCode)),
      h('span', { class: 'alert-case' }, entry ? pick(entry, 'title') : a.caseId),
      h('time', null, fmt.dateTime(a.raisedAt))),
    h('div', { class: 'alert-reason' },
      h('span', { class: 'alert-change' }, `${t(`health.${a.previousHealth || 'UNKNOWN'}`)} → ${t(`health.${a.health}`)}`),
      ' ', state.lang === 'en' ? (a.reasonEn || a.reasonZh || '') : (a.reasonZh || a.reasonEn || '')));
}

export async function mount(root) {
  add(root, loading());
  const [cases, matrix, recent] = await Promise.all([
    catalog.cases(), status.matrix(), dashboard.recentFeed().catch(() => ({ alerts: [] })),
  ]);
  const byCase = new Map(cases.map((c) => [c.caseId, c]));
  const alerts = recent.alerts.map((a) => a.data);
  let showAll = false;
  const list = h('ul', { class: 'alert-list wide', id: 'alert-list' });
  const toggle = h('label', { class: 'check small' }, h('input', {
    type: 'checkbox', id: 'alerts-show-all', onchange: (e) => { showAll = e.target.checked; renderList(); },
  }), t('alerts.showAll'));
  const current = h('div', { id: 'current-warnings' });

  function renderList() {
    clear(list);
    const shown = alerts.filter((a) => showAll || isWarning(a)).slice(0, 100);
    if (!shown.length) add(list, h('li', { class: 'muted empty' }, t('overview.alerts.empty')));
    for (const a of shown) add(list, alertItem(a, byCase, matrix.districts));
  }

  function renderCurrent() {
    const warned = matrix.cases.flatMap((row) => row.cells
      .filter((c) => !c.origin && (c.health === 'RED' || c.health === 'YELLOW'))
      .map((c) => ({ row, cell: c })))
      .sort((a, b) => (a.cell.health === b.cell.health ? a.row.rank - b.row.rank : a.cell.health === 'RED' ? -1 : 1));
    add(clear(current), warned.length ? h('table', { class: 'table', id: 'warnings-table' },
      h('thead', null, h('tr', null, h('th', null, t('common.health')), h('th', null, t('common.case')),
        h('th', null, t('common.district')), h('th', null, t('common.stage')), h('th', null, t('common.reason')),
        h('th', null, t('common.lastReport')))),
      h('tbody', null, warned.map(({ row, cell }) => h('tr', {
        class: 'clickable',
        onclick: () => openCell(row.caseId, cell.districtCode, {
          caseTitle: pick(byCase.get(row.caseId), 'title') || row.titleZh, districtName: districtName(matrix.districts, cell.districtCode),
        }),
      },
      h('td', { class: 'nowrap' }, h('i', { class: `dot health-${cell.health}` }), ' ', t(`health.${cell.health}`)),
      h('td', null, `${row.rank}. ${pick(byCase.get(row.caseId), 'title') || row.titleZh}`),
      h('td', { class: 'nowrap' }, districtName(matrix.districts, cell.districtCode)),
      h('td', { class: 'nowrap' }, t(`stage.${cell.stage}`)),
      h('td', null, ruleList(cell.healthRules)),
      h('td', { class: 'nowrap small' }, fmt.dateTime(cell.lastReportAt)))))) : h('p', { class: 'muted' }, t('alerts.none')));
  }

  add(clear(root), 
    h('div', { class: 'page-head' }, h('h1', null, t('alerts.title'))),
    h('div', { class: 'grid two alerts-grid' },
      section(t('alerts.recent'), list, { hint: t('alerts.recent.hint'), tools: toggle }),
      section(t('alerts.current'), current)));
  renderList();
  renderCurrent();

  return {
    onAlert(event) {
      alerts.unshift(event);
      renderList();
      if (showAll || isWarning(event)) list.firstElementChild.classList.add('flash');
    },
    onStatus(event) {
      const row = matrix.cases.find((r) => r.caseId === event.caseId);
      if (!row) return;
      row.cells = row.cells.map((c) => (c.districtCode === event.districtCode ? { ...c, ...event } : c));
      renderCurrent();
    },
  };
}
