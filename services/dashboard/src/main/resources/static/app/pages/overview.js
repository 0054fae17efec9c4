// Overview: the city-wide replication rate, cells by health and stage, districts adopting each case,
// the ranking of districts (比学赶超) and the latest alerts. Live: figures refresh after status events.
import { h, add, clear, debounce } from '../dom.js';
import { t, pick, districtName } from '../i18n.js';
import { catalog, status, dashboard } from '../api.js';
import * as fmt from '../format.js';
import { chart, disposeAll, STAGE_COLOURS, HEALTH_COLOURS } from '../charts.js';
import { kpi, section, loading, bar, ruleList } from '../widgets.js';
import { alertItem, isWarning } from './alerts.js';

const STAGES = ['NOT_STARTED', 'PLANNED', 'ADOPTED', 'ROLLING_OUT', 'LIVE', 'EVALUATED', 'PAUSED', 'WITHDRAWN'];

export async function mount(root) {
  const charts = [];
  let alerts = [];
  add(root, loading());
  const cases = await catalog.cases();
  const byCase = new Map(cases.map((c) => [c.caseId, c]));
  try {
    alerts = (await dashboard.recentFeed()).alerts.map((a) => a.data).filter(isWarning);
  } catch {
    alerts = [];
  }

  const kpis = h('div', { class: 'kpis', id: 'overview-kpis' });
  const healthChart = h('div', { class: 'chart', id: 'chart-health' });
  const stageChart = h('div', { class: 'chart', id: 'chart-stages' });
  const caseChart = h('div', { class: 'chart tall', id: 'chart-cases' });
  const ranking = h('div', { id: 'ranking' });
  const alertList = h('ul', { class: 'alert-list', id: 'overview-alerts' });

  add(clear(root), 
    h('div', { class: 'page-head' }, h('h1', null, t('overview.title'))),
    kpis,
    h('div', { class: 'grid overview-grid' },
      section(t('overview.health'), [healthChart, stageChart], { class: 'span-1' }),
      section(t('overview.perCase'), caseChart, { class: 'span-1' }),
      section(t('overview.alerts'), alertList, { class: 'span-1', id: 'alerts-card' }),
      section(t('overview.ranking'), ranking, { class: 'span-3', hint: t('overview.ranking.hint') })));

  let matrix;
  let rollups;
  async function load() {
    [matrix, rollups] = await Promise.all([status.matrix(), status.rollups()]);
    render();
  }

  function render() {
    const city = rollups.cityWide;
    add(clear(kpis), 
      kpi(t('overview.replicationRate'), h('span', { id: 'kpi-replication' }, fmt.percent(city.replicationRate)),
        t('overview.replicationRate.hint', { adopted: city.adoptedCells, eligible: city.eligibleCells }), 'kpi-primary'),
      kpi(t('overview.liveRate'), fmt.percent(city.liveRate), t('overview.liveRate.hint', { live: city.liveCells }), 'kpi-live'),
      kpi(t('overview.red'), String(city.redCells), t('overview.red.hint'), city.redCells ? 'kpi-red' : ''),
      kpi(t('overview.scope'), t('overview.scope.value', { cases: city.cases, districts: matrix.districts.length }), rollups.batchId));

    const cells = matrix.cases.flatMap((r) => r.cells.filter((c) => !c.origin));
    // Cells nobody has started are not rated: the ring shows the health of the started ones.
    const started = cells.filter((c) => c.stage !== 'NOT_STARTED');
    const healthCounts = ['GREEN', 'YELLOW', 'RED', 'UNKNOWN'].map((x) => ({
      name: t(`health.${x}`), value: started.filter((c) => (c.health || 'UNKNOWN') === x).length,
      itemStyle: { color: HEALTH_COLOURS[x] },
    })).filter((d) => d.value > 0 || d.itemStyle.color !== HEALTH_COLOURS.UNKNOWN);
    disposeAll(charts);
    chart(healthChart, {
      tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
      legend: { bottom: 0, itemWidth: 10, itemHeight: 10, textStyle: { fontSize: 11 } },
      title: {
        text: String(started.length), subtext: t('overview.started'), left: 'center', top: '31%',
        textStyle: { fontSize: 20, fontWeight: 700, color: '#1d2733' }, subtextStyle: { fontSize: 11, color: '#7a8696' }, itemGap: 2,
      },
      series: [{
        type: 'pie', radius: ['50%', '74%'], center: ['50%', '44%'], avoidLabelOverlap: true,
        label: { formatter: '{c}', fontSize: 11 }, data: healthCounts,
      }],
    }, charts);
    const stageCounts = STAGES.map((s) => cells.filter((c) => c.stage === s).length);
    chart(stageChart, {
      grid: { left: 8, right: 30, top: 4, bottom: 4, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', show: false },
      yAxis: { type: 'category', inverse: true, data: STAGES.map((s) => t(`stage.${s}`)), axisTick: { show: false }, axisLabel: { fontSize: 11 } },
      series: [{
        type: 'bar', barWidth: '62%', label: { show: true, position: 'right', fontSize: 11 },
        data: stageCounts.map((v, i) => ({ value: v, itemStyle: { color: STAGE_COLOURS[STAGES[i]], borderColor: '#aab4c0', borderWidth: i === 0 ? 1 : 0 } })),
      }],
    }, charts);
    const perCase = rollups.cases.slice().sort((a, b) => a.rank - b.rank);
    chart(caseChart, {
      grid: { left: 8, right: 16, top: 24, bottom: 4, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0, itemWidth: 10, itemHeight: 10, textStyle: { fontSize: 11 } },
      xAxis: { type: 'value', max: 15, minInterval: 1, axisLabel: { fontSize: 10 } },
      yAxis: {
        type: 'category', inverse: true, axisTick: { show: false },
        data: perCase.map((c) => `${c.rank}. ${truncate(pick(byCase.get(c.caseId), 'title') || c.titleZh, 12)}`),
        axisLabel: { fontSize: 10.5 },
      },
      series: [
        { name: t('overview.live'), type: 'bar', stack: 'n', itemStyle: { color: STAGE_COLOURS.LIVE }, data: perCase.map((c) => c.live) },
        { name: t('overview.adopted'), type: 'bar', stack: 'n', itemStyle: { color: STAGE_COLOURS.ADOPTED }, data: perCase.map((c) => c.adopting - c.live) },
      ],
    }, charts);

    add(clear(ranking), h('table', { class: 'table ranking', id: 'ranking-table' },
      h('thead', null, h('tr', null,
        h('th', { class: 'num' }, t('common.rank')), h('th', null, t('common.district')),
        h('th', null, t('overview.live')), h('th', null, t('overview.adoptionRate')),
        h('th', { class: 'num' }, t('overview.adopted')), h('th', { class: 'num' }, t('overview.red')))),
      h('tbody', null, rollups.ranking.map((d) => h('tr', { dataset: { district: d.districtCode } },
        h('td', { class: 'num' }, h('span', { class: `rank-badge r${Math.min(d.rank, 4)}` }, d.rank)),
        h('td', null, h('a', { href: `#/district/${d.districtCode}` }, pick(d, 'name'))),
        h('td', { class: 'bar-cell' }, bar(d.liveRate, 'LIVE'), h('span', { class: 'bar-text' }, fmt.percent(d.liveRate))),
        h('td', { class: 'bar-cell' }, bar(d.adoptionRate, 'ADOPTED'), h('span', { class: 'bar-text' }, fmt.percent(d.adoptionRate))),
        h('td', { class: 'num' }, `${d.adopted} / ${d.eligible}`),
        h('td', { class: 'num' }, d.red ? h('span', { class: 'red-count' }, d.red) : '0'))))));
    renderAlerts();
  }

  function renderAlerts() {
    clear(alertList);
    const latest = alerts.slice(0, 6);
    if (!latest.length) add(alertList, h('li', { class: 'muted empty' }, t('overview.alerts.empty')));
    for (const a of latest) add(alertList, alertItem(a, byCase, matrix ? matrix.districts : []));
    // Below the changes: what is red or yellow now, most recently reported first.
    if (!matrix || latest.length >= 6) return;
    const warned = matrix.cases.flatMap((row) => row.cells.filter((c) => !c.origin && (c.health === 'RED' || c.health === 'YELLOW')))
      .sort((a, b) => (a.health === b.health ? String(b.lastReportAt).localeCompare(String(a.lastReportAt)) : a.health === 'RED' ? -1 : 1))
      .slice(0, 8 - latest.length);
    if (!warned.length) return;
    add(alertList, h('li', { class: 'alert-subhead' }, t('overview.currentWarnings')));
    for (const c of warned) {
      add(alertList, h('li', { class: `alert-item health-${c.health}`, dataset: { case: c.caseId, district: c.districtCode } },
        h('div', { class: 'alert-line' }, h('i', { class: `dot health-${c.health}` }),
          h('strong', null, districtName(matrix.districts, c.districtCode)),
          h('a', { class: 'alert-case', href: `#/case/${c.caseId}` }, pick(byCase.get(c.caseId), 'title') || c.caseTitleZh),
          h('time', null, fmt.dateTime(c.lastReportAt))),
        h('div', { class: 'alert-reason' }, ruleList(c.healthRules))));
    }
  }

  await load();
  const reload = debounce(() => load().catch((e) => console.warn(e)), 800);
  return {
    unmount: () => disposeAll(charts),
    onStatus: reload,
    onAlert(event) {
      if (!isWarning(event)) return;
      alerts.unshift(event);
      renderAlerts();
      const first = alertList.firstElementChild;
      if (first) first.classList.add('flash');
    },
  };
}

function truncate(text, n) {
  return text && text.length > n ? `${text.slice(0, n)}…` : text;
}

