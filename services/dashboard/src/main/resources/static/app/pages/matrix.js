// The matrix: the batch's cases × the 16 districts, each cell coloured by stage with a health mark.
// Live: a status event repaints its cell in place (no reload); filters live in the URL.
import { h, add, clear, $, $all, debounce } from '../dom.js';
import { t, pick, districtName } from '../i18n.js';
import { state, setState } from '../state.js';
import { catalog, status, dashboard } from '../api.js';
import * as fmt from '../format.js';
import { openCell, drawerShows, refreshDrawer } from '../cell-drawer.js';
import { section, exportLinks, loading } from '../widgets.js';

const STAGES = ['NOT_STARTED', 'PLANNED', 'ADOPTED', 'ROLLING_OUT', 'LIVE', 'EVALUATED', 'PAUSED', 'WITHDRAWN'];
const HEALTHS = ['RED', 'YELLOW', 'GREEN', 'UNKNOWN'];
const ADOPTED = new Set(['ADOPTED', 'ROLLING_OUT', 'LIVE', 'EVALUATED', 'PAUSED']);

export async function mount(root, route) {
  const filters = {
    domain: route.query.get('domain') || '',
    health: route.query.get('health') || '',
    origin: route.query.get('origin') || '',
  };
  add(root, loading());
  const [matrix, cases, batches, domains] = await Promise.all([
    status.matrix(), catalog.cases(), catalog.batches().catch(() => []), catalog.domains().catch(() => []),
  ]);
  const byCase = new Map(cases.map((c) => [c.caseId, c]));
  const districts = matrix.districts;

  const setFilter = (name, value) => {
    filters[name] = value;
    const q = new URLSearchParams(Object.entries(filters).filter(([, v]) => v));
    history.replaceState(null, '', `#/matrix${q.toString() ? `?${q}` : ''}`);
    applyFilters();
  };

  const select = (id, name, options, value, onchange) => h('label', { class: 'field inline' },
    h('span', null, name),
    h('select', { id, onchange: (e) => onchange(e.target.value) },
      options.map(([v, label]) => h('option', { value: v, selected: v === value }, label))));

  const toolbar = h('div', { class: 'toolbar' },
    select('filter-batch', t('common.batch'),
      (batches.length ? batches : [{ batchId: state.batch }]).filter((b) => b.casesListed !== false || b.batchId === state.batch)
        .map((b) => [b.batchId, b.batchId + (b.year ? ` (${b.year})` : '')]), state.batch, (v) => setState({ batch: v })),
    select('filter-domain', t('matrix.filter.domain'),
      [['', t('common.all')], ...domains.filter((d) => cases.some((c) => c.domain === d.code)).map((d) => [d.code, pick(d, 'name')])],
      filters.domain, (v) => setFilter('domain', v)),
    select('filter-health', t('matrix.filter.health'),
      [['', t('common.all')], ...HEALTHS.map((x) => [x, t(`health.${x}`)])], filters.health, (v) => setFilter('health', v)),
    select('filter-origin', t('matrix.filter.origin'),
      [['', t('common.all')], ...districts.map((d) => [d.code, pick(d, 'name')])], filters.origin, (v) => setFilter('origin', v)),
    h('span', { class: 'spacer' }),
    exportLinks(dashboard.exportUrl('matrix', 'xlsx'), dashboard.exportUrl('matrix', 'csv'), 'export-matrix'));

  const legend = h('div', { class: 'legend' },
    STAGES.map((s) => h('span', { class: 'legend-item' }, h('i', { class: `swatch stage-${s}` }), t(`stage.${s}`))),
    h('span', { class: 'legend-item' }, h('i', { class: 'swatch stage-ORIGIN' }), t('matrix.legend.origin')),
    h('span', { class: 'legend-sep' }),
    ['RED', 'YELLOW', 'GREEN'].map((x) => h('span', { class: 'legend-item' }, h('i', { class: `mark health-${x}` }), t(`health.${x}`))),
    h('span', { class: 'legend-sep' }),
    h('span', { class: 'legend-item', id: 'legend-verified' }, h('i', { class: 'sv-mark verified' }, '✓'), t('matrix.legend.verified')),
    h('span', { class: 'legend-item', id: 'legend-claimed' }, h('i', { class: 'swatch stage-LIVE' }), t('matrix.legend.claimed')),
    h('span', { class: 'legend-item', id: 'legend-overdue' }, h('i', { class: 'sv-mark overdue' }, t('mark.overdue')), t('matrix.legend.overdue')),
    h('span', { class: 'legend-item', id: 'legend-supervised' }, h('i', { class: 'sv-dot' }), t('matrix.legend.supervised')));

  const table = h('table', { class: 'matrix', id: 'matrix-table', dataset: { batch: matrix.batchId } },
    h('thead', null, h('tr', null,
      h('th', { class: 'case-col' }, t('common.case')),
      districts.map((d) => h('th', { class: 'district-col', dataset: { district: d.code } },
        h('a', { href: `#/district/${d.code}`, title: `${d.nameZh} ${d.nameEn || ''}` }, shortDistrict(pick(d, 'name'))))),
      h('th', { class: 'count-col', title: t('matrix.adoptedCount') }, '∑'))),
    h('tbody', null, matrix.cases.map((row) => {
      const entry = byCase.get(row.caseId) || {};
      return h('tr', { dataset: { case: row.caseId, domain: entry.domain || '', origin: row.originDistrict } },
        h('th', { class: 'case-col', scope: 'row' },
          h('a', { href: `#/case/${row.caseId}`, title: `${row.caseId} ${pick(entry, 'title') || row.titleZh}` },
            h('span', { class: 'rank' }, row.rank),
            h('span', { class: 'case-title' }, pick(entry, 'title') || row.titleZh)),
          h('span', { class: 'case-origin' }, districtName(districts, row.originDistrict))),
        row.cells.map((cell) => cellTd(cell, row, entry, districts)),
        h('td', { class: 'count-col' }, String(row.cells.filter((c) => !c.origin && ADOPTED.has(c.stage)).length)));
    })),
    h('tfoot', null, h('tr', null,
      h('th', { class: 'case-col' }, t('matrix.total')),
      districts.map((d) => h('td', { class: 'count-col', dataset: { district: d.code } }, '')),
      h('td', { class: 'count-col' }, ''))));

  const empty = h('p', { class: 'muted', id: 'matrix-empty', hidden: true }, t('matrix.noRows'));
  add(clear(root), 
    h('div', { class: 'page-head inline-head' },
      h('h1', null, t('matrix.title')),
      h('p', { class: 'subtitle', id: 'matrix-subtitle' }, t('matrix.subtitle', { cases: matrix.cases.length, districts: districts.length }),
        matrix.asOf ? ` · ${t('asof.label')} ${fmt.dateTime(matrix.asOf)}` : '')),
    section(null, [toolbar, legend, h('div', { class: 'matrix-wrap' }, table), empty], { class: 'matrix-card' }));

  table.addEventListener('click', (e) => {
    const td = e.target.closest('td.cell');
    if (!td) return;
    const entry = byCase.get(td.dataset.case) || {};
    openCell(td.dataset.case, td.dataset.district, {
      caseTitle: pick(entry, 'title') || td.dataset.case, districtName: districtName(districts, td.dataset.district),
    });
  });
  table.addEventListener('keydown', (e) => {
    if ((e.key === 'Enter' || e.key === ' ') && e.target.matches('td.cell')) {
      e.preventDefault();
      e.target.click();
    }
  });

  function applyFilters() {
    let shown = 0;
    for (const tr of $all('tbody tr', table)) {
      const cells = $all('td.cell', tr);
      let visible = (!filters.domain || tr.dataset.domain === filters.domain)
        && (!filters.origin || tr.dataset.origin === filters.origin);
      if (visible && filters.health) visible = cells.some((c) => c.dataset.origin !== 'true' && c.dataset.health === filters.health);
      tr.hidden = !visible;
      for (const c of cells) c.classList.toggle('dimmed', Boolean(filters.health) && c.dataset.health !== filters.health);
      if (visible) shown++;
    }
    empty.hidden = shown > 0;
    updateTotals();
  }

  function updateTotals() {
    for (const d of districts) {
      const n = $all(`tbody tr:not([hidden]) td.cell[data-district="${d.code}"]`, table)
        .filter((c) => c.dataset.origin !== 'true' && ADOPTED.has(c.dataset.stage)).length;
      const td = $(`tfoot td[data-district="${d.code}"]`, table);
      if (td) td.textContent = String(n);
    }
    const total = $all('tbody tr:not([hidden]) td.cell', table)
      .filter((c) => c.dataset.origin !== 'true' && ADOPTED.has(c.dataset.stage)).length;
    $('tfoot tr td:last-child', table).textContent = String(total);
  }

  applyFilters();
  const refreshDrawerSoon = debounce(refreshDrawer, 300);
  // The stream's status events carry no 督办 state: after a burst of them, one matrix read repaints the
  // cells whose supervision changed (assigned, overdue, verified).
  const refreshSupervisionSoon = debounce(async () => {
    let fresh;
    try {
      fresh = await status.matrix();
    } catch {
      return;
    }
    for (const freshRow of fresh.cases) {
      const row = matrix.cases.find((r) => r.caseId === freshRow.caseId);
      if (!row) continue;
      for (const freshCell of freshRow.cells) {
        const i = row.cells.findIndex((c) => c.districtCode === freshCell.districtCode);
        if (i < 0 || JSON.stringify(row.cells[i].supervision || null) === JSON.stringify(freshCell.supervision || null)) continue;
        row.cells[i] = { ...row.cells[i], supervision: freshCell.supervision };
        const td = $(`td.cell[data-case="${cssEscape(row.caseId)}"][data-district="${cssEscape(freshCell.districtCode)}"]`, table);
        if (td) {
          paint(td, row.cells[i], row, byCase.get(row.caseId) || {}, districts);
          td.dataset.supervisionAt = String(Date.now());
        }
      }
    }
  }, 800);

  return {
    onStatus(event) {
      const td = $(`td.cell[data-case="${cssEscape(event.caseId)}"][data-district="${cssEscape(event.districtCode)}"]`, table);
      if (!td) return;
      const row = matrix.cases.find((r) => r.caseId === event.caseId);
      const cell = { ...row.cells.find((c) => c.districtCode === event.districtCode), ...event };
      row.cells = row.cells.map((c) => (c.districtCode === event.districtCode ? cell : c));
      paint(td, cell, row, byCase.get(event.caseId) || {}, districts);
      td.dataset.updatedAt = String(Date.now());
      td.classList.remove('flash');
      void td.offsetWidth; // restart the animation
      td.classList.add('flash');
      const countTd = td.parentElement.querySelector('td.count-col');
      countTd.textContent = String(row.cells.filter((c) => !c.origin && ADOPTED.has(c.stage)).length);
      applyFilters();
      refreshSupervisionSoon();
      if (drawerShows(event.caseId, event.districtCode)) refreshDrawerSoon();
    },
  };
}

function cellTd(cell, row, entry, districts) {
  const td = h('td', { class: 'cell', tabindex: '0', dataset: { case: row.caseId, district: cell.districtCode } });
  paint(td, cell, row, entry, districts);
  return td;
}

function paint(td, cell, row, entry, districts) {
  const stage = cell.origin ? 'ORIGIN' : (cell.stage || 'UNKNOWN');
  const health = cell.origin ? 'NONE' : (cell.health || 'UNKNOWN');
  td.className = `cell stage-${stage} health-${health}`;
  td.dataset.stage = cell.origin ? 'ORIGIN' : cell.stage;
  td.dataset.health = health;
  td.dataset.origin = String(Boolean(cell.origin));
  const progress = !cell.origin && cell.measuresPlanned > 0 && cell.stage !== 'NOT_STARTED'
    ? `${cell.measuresLive}/${cell.measuresPlanned}` : '';
  const sv = cell.origin ? null : cell.supervision;
  const overdue = Boolean(sv && !sv.closed && sv.deadline === 'OVERDUE');
  td.dataset.supervised = String(Boolean(sv && sv.assigned));
  td.dataset.verified = String(Boolean(sv && sv.verifiedLive));
  td.dataset.overdue = String(overdue);
  add(clear(td), 
    h('span', { class: 'cell-stage' }, t(`short.${stage}`), sv && sv.verifiedLive ? h('i', { class: 'sv-mark verified', 'aria-hidden': 'true' }, '✓') : null),
    progress ? h('span', { class: 'cell-progress' }, progress) : null,
    (health === 'RED' || health === 'YELLOW' || health === 'GREEN') ? h('i', { class: `mark health-${health}` }) : null,
    overdue ? h('i', { class: 'sv-mark overdue corner', 'aria-hidden': 'true' }, t('mark.overdue')) : null,
    sv && sv.assigned && !overdue ? h('i', { class: 'sv-dot corner', 'aria-hidden': 'true' }) : null);
  const rules = (cell.healthRules || []).filter((r) => r !== 'on-track' && r !== 'not-tracked').map((r) => t(`rule.${r}`));
  td.title = [
    `${pick(entry, 'title') || row.titleZh}`,
    `${districtName(districts, cell.districtCode)} · ${t(`stage.${stage}`)}${cell.origin ? '' : ` · ${t(`health.${health === 'NONE' ? 'UNKNOWN' : health}`)}`}`,
    progress ? `${t('cell.progress')} ${progress}` : '',
    rules.join('；'),
    cell.lastReportAt ? `${t('common.lastReport')} ${fmt.dateTime(cell.lastReportAt)}` : '',
    sv ? supervisionLine(sv) : '',
  ].filter(Boolean).join('\n');
  td.setAttribute('aria-label', td.title.replace(/\n/g, ' · '));
}

function supervisionLine(sv) {
  const parts = [];
  if (sv.assigned) parts.push(`${t('matrix.sv.due')} ${fmt.date(sv.dueDate)} · ${t(`deadline.${sv.deadline || 'NONE'}`)}`);
  if (!sv.acknowledged && sv.assigned) parts.push(t('matrix.sv.notAcknowledged'));
  if (sv.verifiedLive) parts.push(t('matrix.legend.verified'));
  else if (sv.measuresVerifiedLive) parts.push(t('matrix.sv.measuresVerified', { n: sv.measuresVerifiedLive }));
  if (sv.claimsPending) parts.push(t('matrix.sv.pending', { n: sv.claimsPending }));
  if (sv.claimsReturned) parts.push(t('matrix.sv.returned', { n: sv.claimsReturned }));
  if (sv.openUrges) parts.push(t('matrix.sv.urges', { n: sv.openUrges }));
  return parts.length ? `${t('nav.duban')}：${parts.join('；')}` : '';
}

function shortDistrict(name) {
  return name.replace(/新区$|区$/, '').replace(/ District$| New Area$/, '');
}

function cssEscape(value) {
  return window.CSS && CSS.escape ? CSS.escape(value) : String(value).replace(/"/g, '\\"');
}

