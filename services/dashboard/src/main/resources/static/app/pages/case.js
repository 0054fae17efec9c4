// A case: origin district and lead agency, summary, its measures and where each is live, outcome charts
// of each metric against the origin's reference value, and the timeline across districts.
import { h, add, clear, debounce } from '../dom.js';
import { t, pick, districtName } from '../i18n.js';
import { catalog, status, dashboard } from '../api.js';
import * as fmt from '../format.js';
import { openCell, drawerShows, refreshDrawer } from '../cell-drawer.js';
import { chart, disposeAll, STAGE_COLOURS, HEALTH_COLOURS } from '../charts.js';
import { kpi, section, loading, exportLinks, healthDot } from '../widgets.js';
import { state } from '../state.js';

export async function mount(root, route) {
  const caseId = route.params[0];
  if (!caseId) return pickCase(root);
  const charts = [];
  add(root, loading());
  const [entry, districts] = await Promise.all([catalog.caseById(caseId), catalog.districts()]);
  const body = h('div', { id: 'case-page', dataset: { case: caseId } });
  add(clear(root), body);

  async function load() {
    const caseStatus = await status.caseStatus(caseId);
    const reported = caseStatus.districts.filter((c) => c.eventCount > 0);
    const details = await Promise.all(reported.map((c) => status.cell(caseId, c.districtCode).catch(() => null)));
    render(caseStatus, details.filter(Boolean));
  }

  function render(caseStatus, details) {
    disposeAll(charts);
    const r = caseStatus.rollup || {};
    const name = (code) => districtName(districts, code);
    const districtStrip = h('div', { class: 'district-strip', id: 'case-districts' }, caseStatus.districts.map((c) => h('button', {
      class: `chip stage-${c.origin ? 'ORIGIN' : c.stage}`, dataset: { district: c.districtCode, stage: c.stage },
      title: `${name(c.districtCode)} · ${t(`stage.${c.origin ? 'ORIGIN' : c.stage}`)}`,
      onclick: () => openCell(caseId, c.districtCode, { caseTitle: pick(entry, 'title'), districtName: name(c.districtCode) }),
    }, c.origin ? null : healthDot(c.health), name(c.districtCode), h('small', null, t(`short.${c.origin ? 'ORIGIN' : c.stage}`)))));

    const measureRows = (entry.measures || []).map((m) => {
      const at = (stages) => details.filter((d) => (d.measures || []).some((x) => x.measureId === m.measureId && stages.includes(x.stage)))
        .map((d) => name(d.districtCode));
      const live = at(['LIVE', 'SCALED']);
      const pilot = at(['PILOT']);
      return h('tr', { dataset: { measure: m.measureId } },
        h('td', null, h('div', { class: 'measure-name' }, pick(m, 'name')), state.lang === 'zh' && m.descriptionZh ? h('div', { class: 'muted small' }, m.descriptionZh) : null),
        h('td', { class: 'num' }, h('strong', null, live.length)),
        h('td', null, live.length ? live.map((n) => h('span', { class: 'tag live' }, n)) : h('span', { class: 'muted' }, '—')),
        h('td', null, pilot.length ? pilot.map((n) => h('span', { class: 'tag pilot' }, n)) : h('span', { class: 'muted' }, '—')));
    });

    const outcomeCharts = h('div', { class: 'chart-grid', id: 'outcome-charts' });
    const timeline = details.flatMap((d) => (d.history || []).map((step) => ({ ...step, districtCode: d.districtCode })))
      .sort((a, b) => (a.at < b.at ? 1 : -1));

    add(clear(body), 
      h('div', { class: 'page-head case-head' },
        h('div', null,
          h('div', { class: 'eyebrow' }, `${entry.batchId} · ${t('common.rank')} ${entry.rank} · ${pick(entry, 'domainName') || entry.domain}`),
          h('h1', { id: 'case-title' }, pick(entry, 'title')),
          h('p', { class: 'subtitle' },
            `${t('common.origin')}：`, h('a', { href: `#/district/${entry.originDistrict}` }, name(entry.originDistrict)),
            ' · ', `${t('common.leadAgency')}：${entry.leadAgency || '—'}`, ' · ', entry.caseId)),
        exportLinks(dashboard.exportUrl('case', { caseId, format: 'xlsx' }), dashboard.exportUrl('case', { caseId, format: 'csv' }), 'export-case')),
      h('div', { class: 'kpis' },
        kpi(t('case.eligible'), String(r.eligible ?? '—')),
        kpi(t('case.adopting'), String(r.adopting ?? '—'), fmt.percent(r.adoptionRate), 'kpi-primary'),
        kpi(t('case.live'), String(r.live ?? '—'), null, 'kpi-live'),
        kpi(t('case.red'), String(r.red ?? '—'), null, r.red ? 'kpi-red' : '')),
      h('div', { class: 'grid two' },
        section(t('case.summary'), h('p', { class: 'summary' }, pick(entry, 'summary'))),
        section(t('case.districts'), districtStrip)),
      section(t('case.measures'), h('table', { class: 'table', id: 'measures-table' },
        h('thead', null, h('tr', null, h('th', null, t('case.measure')), h('th', { class: 'num' }, '#'),
          h('th', null, t('case.liveIn')), h('th', null, t('case.pilotIn')))),
        h('tbody', null, measureRows))),
      section(t('case.outcomes'), outcomeCharts),
      section(t('case.timeline'), timeline.length ? h('ol', { class: 'timeline', id: 'case-timeline' }, timeline.slice(0, 60).map((s) => h('li', null,
        h('time', null, fmt.dateTime(s.at)),
        h('strong', null, name(s.districtCode)),
        h('span', { class: 'subject' }, s.subject === 'case' ? t('cell.caseWhole') : measureName(entry, s.subject)),
        h('span', { class: 'transition' },
          s.subject === 'case' ? t(`stage.${s.from}`) : (s.from ? t(`rollout.${s.from}`) : '—'), ' → ',
          h('strong', null, s.subject === 'case' ? t(`stage.${s.to}`) : t(`rollout.${s.to}`))))))
        : h('p', { class: 'muted' }, t('case.noTimeline'))));

    drawOutcomes(outcomeCharts, entry, details, name, charts);
  }

  await load();
  const reload = debounce(() => load().catch((e) => console.warn(e)), 700);
  return {
    unmount: () => disposeAll(charts),
    onStatus(event) {
      if (event.caseId !== caseId) return;
      reload();
      if (drawerShows(event.caseId, event.districtCode)) refreshDrawer();
    },
  };
}

function drawOutcomes(container, entry, details, name, charts) {
  const metrics = entry.metrics || [];
  let drawn = 0;
  for (const metric of metrics) {
    // The latest period each district reported for this metric.
    const points = details.map((d) => {
      const values = (d.metrics || []).filter((m) => m.metricId === metric.metricId)
        .sort((a, b) => (a.period < b.period ? 1 : -1));
      return values.length ? { district: name(d.districtCode), value: values[0].value, period: values[0].period } : null;
    }).filter(Boolean).sort((a, b) => b.value - a.value);
    const reference = metric.reference && metric.reference.length ? metric.reference[0].value : null;
    const box = h('div', { class: 'chart-box', dataset: { metric: metric.metricId } },
      h('div', { class: 'chart-title' }, pick(metric, 'name'), h('span', { class: 'muted' }, ` (${metric.unit || ''})`)));
    const el = h('div', { class: 'chart small' });
    add(box, el);
    add(container, box);
    if (!points.length) {
      el.classList.add('empty-chart');
      add(el, h('span', { class: 'muted' }, t('case.noOutcomes'),
        reference !== null ? ` · ${t('case.reference')} ${fmt.number(reference)} ${metric.unit || ''}` : ''));
      continue;
    }
    drawn++;
    chart(el, {
      grid: { left: 8, right: 16, top: 26, bottom: 4, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' },
        formatter: (items) => items.map((i) => `${i.name}: ${fmt.number(i.value)} ${metric.unit || ''} (${points[i.dataIndex].period})`).join('<br>') },
      xAxis: { type: 'category', data: points.map((p) => p.district), axisLabel: { fontSize: 10, interval: 0, rotate: points.length > 6 ? 30 : 0 } },
      yAxis: { type: 'value', axisLabel: { fontSize: 10 }, max: reference !== null ? (v) => Math.max(v.max, reference) * 1.1 : null },
      series: [{
        type: 'bar', barMaxWidth: 26, data: points.map((p) => ({
          value: p.value, itemStyle: { color: reference !== null && p.value >= reference ? STAGE_COLOURS.LIVE : STAGE_COLOURS.ROLLING_OUT },
        })),
        markLine: reference === null ? undefined : {
          symbol: 'none', lineStyle: { color: HEALTH_COLOURS.RED, type: 'dashed', width: 1.5 },
          label: { formatter: `${t('case.reference')} ${fmt.number(reference)}`, position: 'insideEndTop', fontSize: 10, color: HEALTH_COLOURS.RED },
          data: [{ yAxis: reference }],
        },
      }],
    }, charts);
  }
  if (!metrics.length) add(container, h('p', { class: 'muted' }, t('case.noOutcomes')));
  container.dataset.drawn = String(drawn);
}

function measureName(entry, id) {
  const m = (entry.measures || []).find((x) => x.measureId === id);
  return m ? pick(m, 'name') : id;
}

async function pickCase(root) {
  add(root, loading());
  const [cases, caseRollups] = await Promise.all([catalog.cases(), status.rollups().catch(() => null)]);
  const byId = new Map(((caseRollups && caseRollups.cases) || []).map((c) => [c.caseId, c]));
  add(clear(root), 
    h('div', { class: 'page-head' }, h('h1', null, t('case.pick'))),
    h('div', { class: 'case-cards', id: 'case-cards' }, cases.map((c) => {
      const r = byId.get(c.caseId);
      return h('a', { class: 'case-card', href: `#/case/${c.caseId}` },
        h('div', { class: 'case-card-top' }, h('span', { class: 'rank' }, c.rank), h('span', { class: 'muted small' }, pick(c, 'domainName'))),
        h('div', { class: 'case-card-title' }, pick(c, 'title')),
        h('div', { class: 'case-card-foot' }, pick(c, 'originDistrictName'),
          r ? h('span', null, `${t('case.adopting')} ${r.adopting}/${r.eligible} · ${t('case.live')} ${r.live}`) : null));
    })));
  return {};
}

