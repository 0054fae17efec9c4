// A district: its place in the ranking, its red cases and why, what it has reported, what it has not adopted.
import { h, add, clear, debounce } from '../dom.js';
import { t, pick } from '../i18n.js';
import { state } from '../state.js';
import { catalog, status } from '../api.js';
import * as fmt from '../format.js';
import { openCell } from '../cell-drawer.js';
import { kpi, section, loading, stageBadge, healthBadge, ruleList, bar } from '../widgets.js';

export async function mount(root, route) {
  const code = route.params[0];
  if (!code) return pickDistrict(root);
  add(root, loading());
  const [cases, districts] = await Promise.all([catalog.cases(), catalog.districts()]);
  const byCase = new Map(cases.map((c) => [c.caseId, c]));
  const me = districts.find((d) => d.code === code) || { code, nameZh: code };
  const title = (caseId, fallback) => (byCase.get(caseId) ? `${byCase.get(caseId).rank}. ${pick(byCase.get(caseId), 'title')}` : fallback || caseId);
  const body = h('div', { id: 'district-page', dataset: { district: code } });
  add(clear(root), body);

  async function load() {
    const view = await status.district(code);
    const r = view.rollup || {};
    const open = (caseId) => openCell(caseId, code, { caseTitle: title(caseId), districtName: pick(me, 'name') });
    add(clear(body), 
      h('div', { class: 'page-head' }, h('div', null,
        h('div', { class: 'eyebrow' }, `${code} · ${state.batch} · ${t('district.rank')}`),
        h('h1', { id: 'district-title' }, pick(me, 'name'),
          r.rank ? h('span', { class: `rank-badge big r${Math.min(r.rank, 4)}`, title: t('district.rank') }, t('common.rankN', { n: r.rank })) : null))),
      h('div', { class: 'kpis' },
        kpi(t('district.eligible'), String(r.eligible ?? '—')),
        kpi(t('district.adopted'), String(r.adopted ?? '—'), fmt.percent(r.adoptionRate), 'kpi-primary'),
        kpi(t('district.live'), String(r.live ?? '—'), fmt.percent(r.liveRate), 'kpi-live'),
        kpi(t('district.red'), String(r.red ?? '—'), null, r.red ? 'kpi-red' : '')),
      h('div', { class: 'grid two' },
        section(t('district.redList'), view.red.length ? h('ul', { class: 'red-list', id: 'red-list' }, view.red.map((x) => h('li', {
          class: 'clickable', onclick: () => open(x.caseId),
        }, h('div', null, h('i', { class: 'dot health-RED' }), h('strong', null, title(x.caseId, x.titleZh))),
        h('div', { class: 'reason' }, state.lang === 'en' ? (x.reasonEn || x.reasonZh) : (x.reasonZh || x.reasonEn)),
        ruleList(x.rules)))) : h('p', { class: 'muted' }, t('district.noRed'))),
        section(t('district.notYet'), view.notYetAdopted.length ? h('ul', { class: 'plain-list', id: 'not-yet-list' }, view.notYetAdopted.map((x) => h('li', null,
          h('a', { href: `#/case/${x.caseId}` }, title(x.caseId, x.titleZh)), ' ', stageBadge(x.stage))))
          : h('p', { class: 'muted' }, t('district.allAdopted')))),
      section(t('district.reported'), view.reported.length ? h('table', { class: 'table', id: 'reported-table' },
        h('thead', null, h('tr', null, h('th', null, t('common.case')), h('th', null, t('common.stage')), h('th', null, t('common.health')),
          h('th', null, t('common.progress')), h('th', { class: 'num' }, t('common.events')), h('th', null, t('common.lastReport')))),
        h('tbody', null, view.reported.map((c) => h('tr', { class: 'clickable', onclick: () => open(c.caseId), dataset: { case: c.caseId } },
          h('td', null, title(c.caseId, c.caseTitleZh)),
          h('td', null, stageBadge(c.stage)),
          h('td', null, healthBadge(c.health)),
          h('td', { class: 'bar-cell' }, bar(c.progress, 'LIVE'), h('span', { class: 'bar-text' }, `${c.measuresLive}/${c.measuresPlanned}`)),
          h('td', { class: 'num' }, c.eventCount),
          h('td', null, fmt.dateTime(c.lastReportAt))))))
        : h('p', { class: 'muted' }, t('district.noReported'))));
  }

  await load();
  const reload = debounce(() => load().catch((e) => console.warn(e)), 700);
  return {
    onStatus(event) {
      if (event.districtCode === code) reload();
    },
  };
}

async function pickDistrict(root) {
  add(root, loading());
  const rollups = await status.rollups();
  add(clear(root), 
    h('div', { class: 'page-head' }, h('h1', null, t('district.pick'))),
    h('div', { class: 'district-cards', id: 'district-cards' }, rollups.ranking.map((d) => h('a', { class: 'district-card', href: `#/district/${d.districtCode}` },
      h('span', { class: `rank-badge r${Math.min(d.rank, 4)}` }, d.rank),
      h('strong', null, pick(d, 'name')),
      h('span', { class: 'muted small' }, `${t('district.adopted')} ${d.adopted}/${d.eligible} · ${t('district.live')} ${d.live}`),
      bar(d.liveRate, 'LIVE')))));
  return {};
}
