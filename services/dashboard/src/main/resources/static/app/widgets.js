// Small pieces the pages share: badges, chips, KPI cards, section boxes.
import { h } from './dom.js';
import { t } from './i18n.js';

export function stageBadge(stage, origin = false) {
  const key = origin ? 'ORIGIN' : (stage || 'UNKNOWN');
  return h('span', { class: `badge stage-${key}`, dataset: { stage: key } }, t(`stage.${key}`));
}

export function healthBadge(health) {
  const key = health || 'UNKNOWN';
  return h('span', { class: `badge health-badge health-${key}`, dataset: { health: key } },
    h('i', { class: 'dot' }), t(`health.long.${key}`));
}

export function healthDot(health) {
  return h('i', { class: `dot health-${health || 'UNKNOWN'}`, title: t(`health.${health || 'UNKNOWN'}`) });
}

export function ruleList(rules) {
  return h('span', { class: 'rules' }, (rules || []).filter((r) => r !== 'on-track' && r !== 'not-tracked')
    .map((r) => h('span', { class: 'rule' }, t(`rule.${r}`))));
}

export function kpi(label, value, hint, extraClass = '') {
  return h('div', { class: `kpi ${extraClass}` },
    h('div', { class: 'kpi-label' }, label),
    h('div', { class: 'kpi-value' }, value),
    hint ? h('div', { class: 'kpi-hint' }, hint) : null);
}

export function section(title, content, opts = {}) {
  const head = title || opts.tools ? h('div', { class: 'card-head' },
    title ? h('h2', null, title) : null, opts.hint ? h('span', { class: 'card-hint' }, opts.hint) : null,
    opts.tools ? h('div', { class: 'card-tools' }, opts.tools) : null) : null;
  return h('section', { class: `card ${opts.class || ''}`, id: opts.id }, head, h('div', { class: 'card-body' }, content));
}

export function loading() {
  return h('p', { class: 'muted loading' }, t('common.loading'));
}

export function exportLinks(xlsxUrl, csvUrl, idPrefix) {
  return h('span', { class: 'export-links' },
    h('a', { class: 'button secondary', href: xlsxUrl, id: `${idPrefix}-xlsx`, download: '' }, '⬇ ', t('common.exportXlsx')),
    h('a', { class: 'button secondary', href: csvUrl, id: `${idPrefix}-csv`, download: '' }, '⬇ ', t('common.exportCsv')));
}

export function bar(ratio, health) {
  const pct = Math.max(0, Math.min(1, ratio || 0)) * 100;
  return h('span', { class: 'bar' }, h('span', { class: `bar-fill ${health ? `health-${health}` : ''}`, style: { width: `${pct}%` } }));
}
