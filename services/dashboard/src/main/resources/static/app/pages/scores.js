// 考核: the district scores as of a period's end — ranking, each score's breakdown (how every point was earned), and
// ECharts trend charts over the months for the rates and the scores.
import { h, add, clear } from '../dom.js';
import { t } from '../i18n.js';
import { state } from '../state.js';
import { bulletins } from '../api.js';
import * as fmt from '../format.js';
import { section, loading } from '../widgets.js';
import { chart, disposeAll } from '../charts.js';
import { lastMonth } from './bulletins.js';

function monthsBefore(month, n) {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1 - n, 1)).toISOString().slice(0, 7);
}

export async function mount(root) {
  const charts = [];
  const periodInput = h('input', { id: 'sc-period', type: 'month', value: lastMonth() });
  const rankingBox = h('div', { id: 'sc-ranking' }, loading());
  const breakdownBox = h('div', { id: 'sc-breakdown' }, h('p', { class: 'muted' }, t('sc.pickDistrict')));
  const rateChart = h('div', { class: 'chart', id: 'sc-chart-rates', style: { height: '300px' } });
  const scoreChart = h('div', { class: 'chart', id: 'sc-chart-scores', style: { height: '340px' } });
  add(root, h('div', { class: 'page-head' }, h('h1', null, t('sc.title')), h('p', { class: 'subtitle' }, t('sc.subtitle'))),
    h('div', { class: 'form-row' }, h('label', null, h('span', null, t('bl.period')), periodInput)),
    h('div', { class: 'grid two' },
      section(t('sc.ranking'), rankingBox, { id: 'card-sc-ranking', hint: t('sc.rankingHint') }),
      section(t('sc.breakdown'), breakdownBox, { id: 'card-sc-breakdown' })),
    h('div', { class: 'grid two' },
      section(t('sc.trendRates'), rateChart, { id: 'card-sc-rates' }),
      section(t('sc.trendScores'), scoreChart, { id: 'card-sc-scores' })));

  async function load() {
    const period = periodInput.value || lastMonth();
    add(clear(rankingBox), loading());
    try {
      const [view, trend] = await Promise.all([bulletins.scores(state.batch, period), bulletins.trend(state.batch, monthsBefore(period, 5), period)]);
      const name = (s) => (state.lang === 'en' ? s.nameEn : s.nameZh);
      add(clear(rankingBox), h('table', { class: 'table compact', id: 'sc-table' },
        h('thead', null, h('tr', null, ['sc.rank', 'sc.district', 'sc.score', 'sc.penalty'].map((k) => h('th', null, t(k))))),
        h('tbody', null, view.scores.map((s) => h('tr', { class: 'clickable', dataset: { district: s.districtCode },
          onclick: () => showBreakdown(s, name(s)) },
        h('td', { class: 'num' }, s.rank), h('td', null, name(s)), h('td', { class: 'num' }, s.score.toFixed(2)),
        h('td', { class: 'num' }, s.penalty ? `−${s.penalty}` : '0'))))));
      if (view.scores.length) showBreakdown(view.scores[0], name(view.scores[0]));
      disposeAll(charts);
      const periods = trend.map((p) => p.period);
      chart(rateChart, {
        tooltip: { trigger: 'axis', valueFormatter: (v) => fmt.percent(v) },
        legend: { top: 0 },
        xAxis: { type: 'category', data: periods },
        yAxis: { type: 'value', axisLabel: { formatter: (v) => `${Math.round(v * 100)}%` } },
        series: [['adoptionRate', 'bl.adoptionRate'], ['liveRate', 'bl.liveRate'], ['verifiedLiveRate', 'bl.verifiedRate']]
          .map(([k, label]) => ({ type: 'line', name: t(label), data: trend.map((p) => p.city[k] ?? 0) })),
      }, charts);
      const codes = view.scores.slice(0, 6).map((s) => s.districtCode);
      chart(scoreChart, {
        tooltip: { trigger: 'axis' },
        legend: { top: 0, type: 'scroll' },
        xAxis: { type: 'category', data: periods },
        yAxis: { type: 'value', max: 100 },
        series: codes.map((code) => ({
          type: 'bar', name: name(view.scores.find((s) => s.districtCode === code)),
          data: trend.map((p) => (p.scores.find((s) => s.districtCode === code) || { score: 0 }).score),
        })),
      }, charts);
    } catch (e) {
      add(clear(rankingBox), h('p', { class: 'muted' }, t('common.error', { message: e.message })));
    }
  }

  function showBreakdown(s, name) {
    add(clear(breakdownBox),
      h('h3', null, `${name} · ${s.score.toFixed(2)}`),
      h('table', { class: 'table compact', id: 'sc-parts' },
        h('thead', null, h('tr', null, ['sc.indicator', 'sc.value', 'sc.weight', 'sc.points', 'sc.basis'].map((k) => h('th', null, t(k))))),
        h('tbody', null, s.parts.map((p) => h('tr', null,
          h('td', null, state.lang === 'en' ? p.nameEn : p.nameZh),
          h('td', { class: 'num' }, p.value === null ? '—' : fmt.percent(p.value)),
          h('td', { class: 'num' }, p.weight), h('td', { class: 'num' }, p.points.toFixed(2)),
          h('td', null, state.lang === 'en' ? p.basisEn : p.basisZh))))),
      h('p', { class: 'note formula', id: 'sc-formula' }, state.lang === 'en' ? s.formulaEn : s.formulaZh));
  }

  periodInput.addEventListener('change', load);
  await load();
  return { unmount: () => disposeAll(charts) };
}
