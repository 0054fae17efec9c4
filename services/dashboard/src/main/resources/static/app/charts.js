// Apache ECharts (bundled as a WebJar, loaded by index.html) with the dashboard's colours.
export const STAGE_COLOURS = {
  NOT_STARTED: '#e9edf2',
  PLANNED: '#cfe0f5',
  ADOPTED: '#8fb8e8',
  ROLLING_OUT: '#3f83d1',
  LIVE: '#23975f',
  EVALUATED: '#11623b',
  PAUSED: '#f0d58c',
  WITHDRAWN: '#b9c0c8',
  UNKNOWN: '#e9edf2',
};

export const HEALTH_COLOURS = {
  GREEN: '#25a35a',
  YELLOW: '#e6a700',
  RED: '#d93b3b',
  UNKNOWN: '#c3cad3',
};

const FONT = '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "Source Han Sans SC", system-ui, sans-serif';

/** Draws `option` into `el`; returns the chart (resized with its box, disposed by disposeAll). */
export function chart(el, option, registry) {
  if (!window.echarts) {
    el.textContent = 'ECharts not loaded';
    return null;
  }
  const instance = window.echarts.init(el, null, { renderer: 'canvas' });
  instance.setOption({ textStyle: { fontFamily: FONT }, animationDuration: 400, ...option });
  const observer = new ResizeObserver(() => instance.resize());
  observer.observe(el);
  if (registry) registry.push({ instance, observer });
  return instance;
}

export function disposeAll(registry) {
  for (const { instance, observer } of registry.splice(0)) {
    observer.disconnect();
    instance.dispose();
  }
}
