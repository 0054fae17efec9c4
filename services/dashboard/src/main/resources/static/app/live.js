// The status service's Server-Sent Events stream, shared by every page: one EventSource, many listeners.
// The browser reconnects by itself when the stream drops; the indicator in the header shows the state.
import { status } from './api.js';

const listeners = { status: new Set(), alert: new Set(), connection: new Set() };
let source = null;
let connected = false;
let received = 0;

export function startLive() {
  if (source || !window.EventSource) return;
  source = new EventSource(status.streamUrl());
  source.addEventListener('open', () => setConnected(true));
  source.addEventListener('error', () => setConnected(source.readyState === EventSource.OPEN));
  for (const type of ['status', 'alert']) {
    source.addEventListener(type, (event) => {
      let data;
      try {
        data = JSON.parse(event.data);
      } catch {
        return;
      }
      received++;
      setConnected(true);
      for (const listener of listeners[type]) {
        try {
          listener(data, event.lastEventId);
        } catch (e) {
          console.error('live listener failed', e);
        }
      }
    });
  }
}

// A page the browser keeps in its back/forward cache must not hold its stream open: browsers allow six
// connections per host, and a few cached pages with open streams would starve the next page's requests.
window.addEventListener('pagehide', () => {
  if (source) {
    source.close();
    source = null;
    setConnected(false);
  }
});
window.addEventListener('pageshow', (event) => {
  if (event.persisted) startLive();
});

function setConnected(value) {
  if (value === connected) return;
  connected = value;
  for (const listener of listeners.connection) listener(connected);
}

/** Subscribes to 'status', 'alert' or 'connection'; returns the unsubscribe function. */
export function on(type, listener) {
  listeners[type].add(listener);
  return () => listeners[type].delete(listener);
}

export function isConnected() {
  return connected;
}

export function receivedCount() {
  return received;
}
