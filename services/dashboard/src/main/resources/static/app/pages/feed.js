// The live feed: every status change and alert, newest first — what the server kept, then live.
import { h, add, clear } from '../dom.js';
import { t, pick, districtName } from '../i18n.js';
import { state } from '../state.js';
import { catalog, status, dashboard } from '../api.js';
import * as fmt from '../format.js';
import { section, loading } from '../widgets.js';

const KEEP = 300;

export async function mount(root) {
  add(root, loading());
  const [cases, matrix, recent] = await Promise.all([
    catalog.cases(), status.matrix(), dashboard.recentFeed().catch(() => ({ alerts: [], changes: [] })),
  ]);
  const byCase = new Map(cases.map((c) => [c.caseId, c]));
  const districts = matrix.districts;
  let count = 0;
  const events = [
    ...recent.changes.map((e) => ({ type: 'status', at: e.receivedAt, data: e.data })),
    ...recent.alerts.map((e) => ({ type: 'alert', at: e.receivedAt, data: e.data })),
  ].sort((a, b) => (a.at < b.at ? 1 : -1));

  const list = h('ol', { class: 'feed', id: 'feed-list' });
  const counter = h('span', { class: 'card-hint', id: 'feed-count' }, t('feed.count', { n: 0 }));

  function item(e) {
    const d = e.data;
    const entry = byCase.get(d.caseId);
    const what = e.type === 'alert'
      ? [h('span', { class: 'feed-kind alert' }, t('feed.alert')),
        h('span', null, `${t(`health.${d.previousHealth || 'UNKNOWN'}`)} → `, h('strong', { class: `health-text-${d.health}` }, t(`health.${d.health}`))),
        h('span', { class: 'muted' }, state.lang === 'en' ? (d.reasonEn || d.reasonZh || '') : (d.reasonZh || ''))]
      : [h('span', { class: 'feed-kind status' }, t('feed.status')),
        h('span', { class: `badge stage-${d.stage}` }, t(`stage.${d.stage}`)),
        h('i', { class: `dot health-${d.health}` }),
        d.measuresPlanned ? h('span', { class: 'muted' }, `${t('cell.progress')} ${d.measuresLive}/${d.measuresPlanned}`) : null];
    return h('li', { class: `feed-item ${e.type}`, dataset: { case: d.caseId, district: d.districtCode } },
      h('time', null, fmt.dateTime(e.type === 'alert' ? d.raisedAt : (d.lastReportAt || e.at))),
      h('strong', { class: 'feed-district' }, districtName(districts, d.districtCode)),
      h('a', { class: 'feed-case', href: `#/case/${d.caseId}` }, entry ? `${entry.rank}. ${pick(entry, 'title')}` : d.caseId),
      h('span', { class: 'feed-what' }, what));
  }

  function render() {
    clear(list);
    if (!events.length) add(list, h('li', { class: 'muted empty' }, t('feed.empty')));
    for (const e of events.slice(0, KEEP)) add(list, item(e));
  }

  function receive(type, data) {
    events.unshift({ type, at: new Date().toISOString(), data });
    events.splice(KEEP);
    count++;
    counter.textContent = t('feed.count', { n: count });
    if (list.querySelector('.empty')) clear(list);
    const li = item(events[0]);
    li.classList.add('flash');
    list.prepend(li);
    while (list.children.length > KEEP) list.lastElementChild.remove();
  }

  add(clear(root), 
    h('div', { class: 'page-head' }, h('h1', null, t('feed.title')), h('p', { class: 'subtitle' }, t('feed.hint'))),
    section(null, list, { tools: counter }));
  render();
  return {
    onStatus: (e) => receive('status', e),
    onAlert: (e) => receive('alert', e),
  };
}
