// The district workspace: a clerk signs in (local mode: the dashboard server signs a district token),
// then adopts a case, moves a measure to a stage, reports an outcome or imports a file — straight to the
// three reporting services. Every field error the service returns is shown beside its field.
import { h, add, clear, $, $all, uuid, debounce } from '../dom.js';
import { t, pick, districtName } from '../i18n.js';
import { config, state } from '../state.js';
import { catalog, status, dashboard, report, importFile, templateUrl, ApiError } from '../api.js';
import * as fmt from '../format.js';
import { section, loading, stageBadge } from '../widgets.js';
import { mountInbox } from './inbox.js';

const SESSION_KEY = 'reform.session';
const TABS = ['inbox', 'adoption', 'rollout', 'outcome', 'import'];
const DECISIONS = ['ADOPTED', 'INTENDS', 'PAUSED', 'WITHDRAWN'];
const ROLLOUT_STAGES = ['PLANNED', 'PILOT', 'LIVE', 'SCALED', 'SUSPENDED'];
// Names the services use for a field that the form shows under another name.
const FIELD_ALIASES = { coverageCovered: 'coverage.covered', coverageTotal: 'coverage.total', coverageUnit: 'coverage.unit' };

function session() {
  try {
    const s = JSON.parse(sessionStorage.getItem(SESSION_KEY));
    return s && s.token && new Date(s.expiresAt) > new Date() ? s : null;
  } catch {
    return null;
  }
}

export async function mount(root, route) {
  add(root, loading());
  const districts = await catalog.districts();
  add(clear(root), h('div', { class: 'page-head' },
    h('h1', null, t('ws.title'), ' ', h('span', { class: 'local-badge', id: 'local-mode-badge' }, t('ws.localMode')))));
  const s = session();
  if (!s) {
    add(root, signInCard(districts));
    return {};
  }
  const cases = (await catalog.cases()).filter((c) => c.state !== 'RETIRED');
  const mine = cases.filter((c) => c.originDistrict !== s.districtCode);
  const tab = TABS.includes(route.params[0]) ? route.params[0] : 'inbox';

  add(root, 
    h('div', { class: 'identity', id: 'identity' },
      h('span', { class: 'local-badge' }, t('ws.localMode')),
      h('strong', { id: 'signed-in-district' }, t('ws.signedInAs', { district: districtName(districts, s.districtCode), agency: s.agency || s.districtCode })),
      h('span', { class: 'muted' }, t('ws.tokenUntil', { time: fmt.dateTime(s.expiresAt) })),
      h('button', { class: 'link-button', id: 'sign-out', onclick: () => { sessionStorage.removeItem(SESSION_KEY); location.hash = '#/workspace'; dispatchEvent(new HashChangeEvent('hashchange')); } }, t('ws.signOut'))),
    h('div', { class: 'tabs', role: 'tablist' }, TABS.map((name) => h('a', {
      class: `tab${name === tab ? ' active' : ''}`, href: `#/workspace/${name}`, id: `tab-${name}`, role: 'tab',
    }, t(`ws.tab.${name}`), name === 'inbox' ? h('span', { class: 'count-badge', id: 'tab-inbox-count', hidden: true }, '0') : null))));

  const forms = { adoption: adoptionForm, rollout: rolloutForm, outcome: outcomeForm, import: importForm };
  const mineNow = h('div', { id: 'ws-district-status' }, loading());
  const main = tab === 'inbox' ? h('div', { id: 'ws-inbox' }) : forms[tab](s, mine);
  add(root, h('div', { class: 'ws-layout' },
    section(null, main, { class: 'form-card' }),
    section(t('ws.mine', { district: districtName(districts, s.districtCode) }), mineNow, { class: 'ws-aside' })));
  const inbox = tab === 'inbox' ? mountInbox(main, s, districts, cases) : null;
  if (inbox) await inbox.refresh();
  const byCase = new Map(cases.map((c) => [c.caseId, c]));
  const refresh = async () => {
    try {
      renderMine(mineNow, await status.district(s.districtCode), byCase);
    } catch (e) {
      add(clear(mineNow), h('p', { class: 'muted' }, t('common.error', { message: e.message })));
    }
  };
  await refresh();
  const refreshSoon = debounce(refresh, 500);
  return {
    onStatus(event) {
      if (event.districtCode === s.districtCode) {
        refreshSoon();
        if (inbox) inbox.refreshSoon();
      }
    },
    unmount() {
      if (inbox) inbox.dispose();
    },
  };
}

/** What the signed-in district has reported and what is red, so the clerk sees the effect of a report. */
function renderMine(el, view, byCase) {
  const title = (id) => (byCase.get(id) ? `${byCase.get(id).rank}. ${pick(byCase.get(id), 'title')}` : id);
  const r = view.rollup || {};
  add(clear(el),
    h('div', { class: 'mini-kpis' },
      h('span', null, h('strong', null, r.adopted ?? 0), ` / ${r.eligible ?? 0} `, t('district.adopted')),
      h('span', null, h('strong', null, r.live ?? 0), ' ', t('district.live')),
      h('span', { class: r.red ? 'red-count' : '' }, h('strong', null, r.red ?? 0), ' ', t('district.red'))),
    view.reported.length ? h('ul', { class: 'plain-list mine-list' }, view.reported.map((c) => h('li', { dataset: { case: c.caseId } },
      h('span', { class: 'mine-title' }, h('i', { class: `dot health-${c.health}` }), ' ', title(c.caseId)),
      stageBadge(c.stage))))
      : h('p', { class: 'muted' }, t('district.noReported')));
}

function signInCard(districts) {
  if (!config.localSignIn) {
    return section(t('ws.signIn'), h('p', { class: 'muted' }, 'OIDC sign-in is not configured.'));
  }
  const error = h('div', { class: 'field-error', dataset: { errorFor: 'districtCode' } });
  const select = h('select', { name: 'districtCode', id: 'signin-district', required: true },
    h('option', { value: '' }, '—'),
    districts.map((d) => h('option', { value: d.code }, `${pick(d, 'name')} (${d.code})`)));
  const agency = h('input', { type: 'text', name: 'agency', id: 'signin-agency', maxlength: 100 });
  select.addEventListener('change', () => {
    const d = districts.find((x) => x.code === select.value);
    if (d && !agency.dataset.touched) agency.value = `${d.nameZh}发展改革委`;
  });
  agency.addEventListener('input', () => { agency.dataset.touched = '1'; });
  const form = h('form', {
    class: 'form narrow', id: 'form-signin', novalidate: true,
    onsubmit: async (e) => {
      e.preventDefault();
      error.textContent = '';
      try {
        const s = await dashboard.signIn(select.value, agency.value);
        sessionStorage.setItem(SESSION_KEY, JSON.stringify(s));
        dispatchEvent(new HashChangeEvent('hashchange'));
      } catch (err) {
        const first = err instanceof ApiError && err.problem.errors && err.problem.errors[0];
        error.textContent = first ? (state.lang === 'en' ? first.messageEn : first.messageZh) : err.message;
      }
    },
  },
  h('p', { class: 'note local-note' }, h('span', { class: 'local-badge' }, t('ws.localMode')), ' ', t('ws.localNote')),
  h('div', { class: 'field' }, h('label', { for: 'signin-district' }, t('ws.district')), select, error),
  h('div', { class: 'field' }, h('label', { for: 'signin-agency' }, t('ws.agency')), agency),
  h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button', id: 'sign-in' }, t('ws.signIn'))));
  return section(t('ws.signIn'), form, { class: 'signin-card' });
}

// ---- form building -------------------------------------------------------------------------------

function field(name, label, control, opts = {}) {
  if (!control.id) control.id = `f-${name.replace(/\W/g, '-')}-${Math.random().toString(36).slice(2, 7)}`;
  if (!control.name && control.tagName !== 'DIV') control.name = name;
  return h('div', { class: `field ${opts.class || ''}`, dataset: { field: name } },
    h('label', { for: control.id }, label),
    control,
    opts.hint ? h('div', { class: 'field-hint' }, opts.hint) : null,
    h('div', { class: 'field-error', role: 'alert', dataset: { errorFor: name } }));
}

function input(type, attrs = {}) {
  return h('input', { type, ...attrs });
}

function select(options, attrs = {}) {
  return h('select', attrs, options.map(([value, label]) => h('option', { value }, label)));
}

function caseOptions(cases) {
  return cases.map((c) => [c.caseId, `${c.rank}. ${pick(c, 'title')}`]);
}

function envelopeFields() {
  return [
    field('occurredAt', t('ws.field.occurredAt'), input('datetime-local', { value: fmt.shanghaiNowLocal(), step: 60 })),
    field('note', t('ws.field.note'), h('textarea', { rows: 2, maxlength: 1000 }), { class: 'wide' }),
  ];
}

function resultBox(kind) {
  return h('div', { class: 'form-result', id: `result-${kind}`, role: 'status', 'aria-live': 'polite' });
}

function valueOf(form, name) {
  const el = form.elements.namedItem(name);
  if (!el) return undefined;
  const v = (el.value ?? '').trim();
  return v === '' ? undefined : v;
}

function baseBody(form, s) {
  return {
    eventId: uuid(),
    caseId: valueOf(form, 'caseId'),
    districtCode: s.districtCode,
    occurredAt: fmt.shanghaiIso(valueOf(form, 'occurredAt')),
    note: valueOf(form, 'note'),
  };
}

function clearErrors(form) {
  for (const slot of $all('.field-error', form)) slot.textContent = '';
  for (const el of $all('[aria-invalid]', form)) el.removeAttribute('aria-invalid');
  for (const el of $all('.field.has-error', form)) el.classList.remove('has-error');
}

/** The slot beside the field an API error names: exact, then without an index, then the parent object. */
function slotFor(form, fieldPath) {
  const candidates = [fieldPath, FIELD_ALIASES[fieldPath], fieldPath.replace(/\[\d+\]$/, ''), fieldPath.split('.')[0]];
  for (const name of candidates) {
    if (!name) continue;
    const slot = form.querySelector(`.field-error[data-error-for="${CSS.escape(name)}"]`);
    if (slot) return slot;
  }
  return null;
}

function showProblem(form, kind, err) {
  const result = $(`#result-${kind}`, form);
  result.className = 'form-result error';
  clear(result);
  if (!(err instanceof ApiError)) {
    result.textContent = err.message;
    return;
  }
  if (err.status === 0) {
    result.textContent = t('ws.unreachable', { detail: err.problem.detail || '' });
    return;
  }
  if (err.status === 401) {
    sessionStorage.removeItem(SESSION_KEY);
    result.textContent = t('ws.expired');
    return;
  }
  const errors = err.problem.errors || [];
  const unplaced = [];
  let first = null;
  for (const e of errors) {
    const message = state.lang === 'en' ? (e.messageEn || e.message) : (e.messageZh || e.message);
    const slot = slotFor(form, e.field || '');
    if (slot) {
      slot.textContent = slot.textContent ? `${slot.textContent}；${message}` : message;
      const wrapper = slot.closest('.field');
      wrapper.classList.add('has-error');
      const control = wrapper.querySelector('input, select, textarea');
      if (control) control.setAttribute('aria-invalid', 'true');
      first = first || control;
    } else {
      unplaced.push(`${e.field ? `${e.field}：` : ''}${message}`);
    }
  }
  const detail = err.status === 403 ? t('ws.forbidden') : (err.problem.title || err.problem.detail || `HTTP ${err.status}`);
  add(result, h('div', null, t('ws.rejected', { detail })));
  if (unplaced.length) add(result, h('ul', null, unplaced.map((u) => h('li', null, u))));
  if (first) first.focus();
}

function showAccepted(form, kind, receipt) {
  const result = $(`#result-${kind}`, form);
  result.className = 'form-result ok';
  result.dataset.acceptedAt = String(Date.now());
  result.dataset.eventId = receipt.eventId;
  add(clear(result), t('ws.accepted', receipt));
  // A new report gets a new event id and time; the rest of the entries stay for the next one.
  const occurred = form.elements.namedItem('occurredAt');
  if (occurred) occurred.value = fmt.shanghaiNowLocal();
}

function reportForm(kind, s, fields, build) {
  const submit = h('button', { type: 'submit', class: 'button', id: `submit-${kind}` }, t('ws.submit'));
  const form = h('form', { class: 'form grid-form', id: `form-${kind}`, novalidate: true }, fields,
    h('div', { class: 'form-actions wide' }, submit), resultBox(kind));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const result = $(`#result-${kind}`, form);
    result.className = 'form-result pending';
    result.textContent = t('ws.sending');
    submit.disabled = true;
    try {
      const body = { ...baseBody(form, s), ...build(form) };
      for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
      showAccepted(form, kind, await report(kind, body, s.token));
    } catch (err) {
      showProblem(form, kind, err);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

// ---- the four forms --------------------------------------------------------------------------------

function adoptionForm(s, cases) {
  const caseSelect = select(caseOptions(cases));
  const measures = h('div', { class: 'checks', id: 'planned-measures' });
  const renderMeasures = () => {
    const c = cases.find((x) => x.caseId === caseSelect.value);
    add(clear(measures), (c ? c.measures : []).map((m) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', name: 'plannedMeasureIds', value: m.measureId }), pick(m, 'name'))));
  };
  caseSelect.addEventListener('change', renderMeasures);
  renderMeasures();
  return reportForm('adoption', s, [
    field('caseId', t('ws.field.caseId'), caseSelect, { class: 'wide' }),
    field('decision', t('ws.field.decision'), select(DECISIONS.map((d) => [d, t(`decision.${d}`)]))),
    field('leadAgency', t('ws.field.leadAgency'), input('text', { maxlength: 100, value: s.agency || '' })),
    field('targetDate', t('ws.field.targetDate'), input('date')),
    field('plannedMeasureIds', t('ws.field.plannedMeasureIds'), measures, { class: 'wide' }),
    ...envelopeFields(),
  ], (form) => ({
    decision: valueOf(form, 'decision'),
    leadAgency: valueOf(form, 'leadAgency'),
    targetDate: valueOf(form, 'targetDate'),
    plannedMeasureIds: $all('input[name="plannedMeasureIds"]:checked', form).map((el) => el.value),
  }));
}

function rolloutForm(s, cases) {
  const caseSelect = select(caseOptions(cases));
  const measureSelect = h('select');
  const renderMeasures = () => {
    const c = cases.find((x) => x.caseId === caseSelect.value);
    add(clear(measureSelect), (c ? c.measures : []).map((m) => h('option', { value: m.measureId }, pick(m, 'name'))));
  };
  caseSelect.addEventListener('change', renderMeasures);
  renderMeasures();
  return reportForm('rollout', s, [
    field('caseId', t('ws.field.caseId'), caseSelect, { class: 'wide' }),
    field('measureId', t('ws.field.measureId'), measureSelect, { class: 'wide' }),
    field('stage', t('ws.field.stage'), select(ROLLOUT_STAGES.map((x) => [x, t(`rollout.${x}`)]))),
    field('effectiveDate', t('ws.field.effectiveDate'), input('date', { value: fmt.shanghaiToday() })),
    field('coverage.covered', t('ws.field.covered'), input('number', { min: 0, step: 1 }), { hint: t('ws.coverageHint') }),
    field('coverage.total', t('ws.field.total'), input('number', { min: 1, step: 1 })),
    field('coverage.unit', t('ws.field.unit'), input('text', { maxlength: 20, list: 'coverage-units' })),
    h('datalist', { id: 'coverage-units' }, ['街镇', '园区', '楼宇', '窗口', '企业'].map((u) => h('option', { value: u }))),
    field('serviceItemCode', t('ws.field.serviceItemCode'), input('text', { maxlength: 64 })),
    ...envelopeFields(),
  ], (form) => {
    const covered = valueOf(form, 'coverage.covered');
    const total = valueOf(form, 'coverage.total');
    const unit = valueOf(form, 'coverage.unit');
    return {
      measureId: valueOf(form, 'measureId'),
      stage: valueOf(form, 'stage'),
      effectiveDate: valueOf(form, 'effectiveDate'),
      serviceItemCode: valueOf(form, 'serviceItemCode'),
      coverage: covered || total || unit ? { covered: num(covered), total: num(total), unit } : undefined,
    };
  });
}

function outcomeForm(s, cases) {
  const caseSelect = select(caseOptions(cases));
  const metricSelect = h('select');
  const unit = input('text', { maxlength: 20 });
  const renderMetrics = () => {
    const c = cases.find((x) => x.caseId === caseSelect.value);
    add(clear(metricSelect), (c ? c.metrics : []).map((m) => h('option', { value: m.metricId, dataset: { unit: m.unit || '' } },
      `${pick(m, 'name')}${m.unit ? `（${m.unit}）` : ''}`)));
    syncUnit();
  };
  const syncUnit = () => {
    const option = metricSelect.selectedOptions[0];
    unit.value = option ? option.dataset.unit : '';
  };
  caseSelect.addEventListener('change', renderMetrics);
  metricSelect.addEventListener('change', syncUnit);
  renderMetrics();
  const month = fmt.shanghaiToday().slice(0, 7);
  return reportForm('outcome', s, [
    field('caseId', t('ws.field.caseId'), caseSelect, { class: 'wide' }),
    field('metricId', t('ws.field.metricId'), metricSelect, { class: 'wide' }),
    field('value', t('ws.field.value'), input('text', { inputmode: 'decimal' })),
    field('unit', t('ws.field.metricUnit'), unit),
    field('period', t('ws.field.period'), input('text', { value: month, maxlength: 30 })),
    field('evidenceRef', t('ws.field.evidenceRef'), input('text', { maxlength: 500 })),
    ...envelopeFields(),
  ], (form) => {
    const raw = valueOf(form, 'value');
    // A number goes as a number; anything else goes as typed, so the service names the problem.
    const value = raw !== undefined && /^-?\d+(\.\d+)?$/.test(raw.replace(/,/g, '')) ? Number(raw.replace(/,/g, '')) : raw;
    return {
      metricId: valueOf(form, 'metricId'), value, unit: valueOf(form, 'unit'),
      period: valueOf(form, 'period'), evidenceRef: valueOf(form, 'evidenceRef'),
    };
  });
}

function importForm(s) {
  const kind = select(['adoption', 'rollout', 'outcome'].map((k) => [k, t(`ws.kind.${k}`)]));
  const file = input('file', { accept: '.xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
  const mode = select(['ALL_OR_NOTHING', 'VALID_ONLY'].map((m) => [m, t(`ws.mode.${m}`)]));
  const template = h('a', { href: templateUrl('adoption'), id: 'import-template', download: '' }, '⬇ ', t('ws.template'));
  kind.addEventListener('change', () => { template.href = templateUrl(kind.value); });
  const rows = h('div', { id: 'import-rows' });
  const submit = h('button', { type: 'submit', class: 'button', id: 'submit-import' }, t('ws.upload'));
  const form = h('form', { class: 'form grid-form', id: 'form-import', novalidate: true },
    field('kind', t('ws.field.kind'), kind),
    field('mode', t('ws.field.mode'), mode),
    field('file', t('ws.field.file'), file, { class: 'wide' }),
    h('div', { class: 'wide' }, template),
    h('div', { class: 'form-actions wide' }, submit),
    resultBox('import'), rows);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    clear(rows);
    const result = $('#result-import', form);
    if (!file.files.length) {
      $('.field-error[data-error-for="file"]', form).textContent = t('ws.pickFile');
      return;
    }
    result.className = 'form-result pending';
    result.textContent = t('ws.sending');
    submit.disabled = true;
    try {
      const r = await importFile(kind.value, file.files[0], mode.value, s.token);
      result.className = 'form-result ok';
      result.textContent = t('ws.imported', { accepted: r.accepted, rows: r.rows, duplicates: r.duplicates, rejected: r.rejectedRows });
      if (r.errors && r.errors.length) add(rows, rowErrors(r.errors.map((x) => ({ row: x.row, field: x.field, messageZh: x.messageZh, messageEn: x.messageEn }))));
    } catch (err) {
      // Row errors come as rows[<n>].<field>: a table of rows; anything else beside its field.
      const errors = (err instanceof ApiError && err.problem.errors) || [];
      const rowLevel = [];
      for (const x of errors) {
        const m = /^rows\[(\d+)\]\.(.+)$/.exec(x.field || '');
        if (m) rowLevel.push({ ...x, row: m[1], field: m[2] });
      }
      if (rowLevel.length) {
        err.problem = { ...err.problem, errors: errors.filter((x) => !/^rows\[/.test(x.field || '')) };
        add(rows, rowErrors(rowLevel));
      }
      showProblem(form, 'import', err);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

function rowErrors(errors) {
  return h('div', { class: 'row-errors' }, h('h3', null, t('ws.rowErrors')), h('table', { class: 'table compact', id: 'import-row-errors' },
    h('thead', null, h('tr', null, h('th', { class: 'num' }, t('ws.row')), h('th', null, t('ws.field')), h('th', null, t('ws.message')))),
    h('tbody', null, errors.map((e) => h('tr', null, h('td', { class: 'num' }, e.row), h('td', { class: 'mono' }, e.field),
      h('td', null, state.lang === 'en' ? (e.messageEn || e.messageZh) : (e.messageZh || e.messageEn)))))));
}

function num(v) {
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : v;
}
