// The page-wide state: language, the as-of date (null = live), the batch; listeners hear every change.
const listeners = new Set();

export const config = window.REFORM_CONFIG || {
  apis: {}, demo: false, localSignIn: false, defaultBatch: 'SH-2023', timeZone: 'Asia/Shanghai',
};

export const state = {
  lang: localStorage.getItem('reform.lang') === 'en' ? 'en' : 'zh',
  asOf: null,
  batch: config.defaultBatch,
};

export function setState(changes) {
  Object.assign(state, changes);
  if ('lang' in changes) localStorage.setItem('reform.lang', state.lang);
  for (const listener of listeners) listener(changes);
}

export function onStateChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
