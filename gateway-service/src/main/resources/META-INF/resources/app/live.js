// The live hub client (docs/websocket-protocol.md): one WebSocket per tab, token in the first
// message, ref-counted topic subscriptions, resume cursors per topic and automatic reconnection.

import {auth} from './api.js';

const BACKOFF_MS = [500, 1000, 2000, 4000, 8000, 15000];
/** The server closes a connection that sends nothing for 60 s; a ping every 25 s keeps a quiet one open. */
const PING_MS = 25000;

class LiveHub extends EventTarget {
  constructor() {
    super();
    /** 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed' */
    this.state = 'idle';
    this.detail = '';
    this.ws = null;
    this.attempt = 0;
    this.timer = null;
    /** topic -> Set of handlers */
    this.handlers = new Map();
    /** topic -> last envelope id seen (the resume cursor) */
    this.cursors = new Map();
    this.welcome = null;
    this.lastMessageAt = 0;
    addEventListener('online', () => this.#reconnectSoon(0));
  }

  /** Subscribes a handler to a topic; the first handler of a topic subscribes on the server. Returns an unsubscribe function. */
  subscribe(topic, handler) {
    let set = this.handlers.get(topic);
    if (!set) {
      set = new Set();
      this.handlers.set(topic, set);
      this.#sendSubscribe(topic);
    }
    set.add(handler);
    this.#ensureConnected();
    return () => {
      const s = this.handlers.get(topic);
      if (!s) return;
      s.delete(handler);
      if (s.size === 0) {
        this.handlers.delete(topic);
        this.cursors.delete(topic);
        if (this.state === 'open') this.#send({type: 'unsubscribe', topic});
      }
    };
  }

  /** Starts (or restarts, after sign-in) the connection. */
  start() {
    this.stop();
    this.attempt = 0;
    this.#connect();
  }

  stop() {
    clearTimeout(this.timer);
    clearInterval(this.pinger);
    this.timer = null;
    if (this.ws) {
      const ws = this.ws;
      this.ws = null;
      ws.onclose = ws.onmessage = ws.onerror = ws.onopen = null;
      try { ws.close(1000, 'bye'); } catch { /* closed already */ }
    }
    this.#setState('idle', '');
  }

  #ensureConnected() {
    if (!this.ws && !this.timer && auth.token) this.#connect();
  }

  #connect() {
    if (!auth.token) return;
    this.#setState(this.attempt === 0 ? 'connecting' : 'reconnecting', this.detail);
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
    let ws;
    try {
      ws = new WebSocket(url);
    } catch (e) {
      this.#reconnectSoon();
      return;
    }
    this.ws = ws;
    ws.onopen = () => ws.send(JSON.stringify({type: 'auth', token: auth.token}));
    clearInterval(this.pinger);
    this.pinger = setInterval(() => { if (this.state === 'open') this.#send({type: 'ping'}); }, PING_MS);
    ws.onmessage = (e) => this.#onMessage(e.data);
    ws.onclose = (e) => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (e.code === 1008 && /auth|token|unauthor/i.test(e.reason || '')) {
        this.#setState('closed', 'not authorised');
        return;
      }
      this.#reconnectSoon();
    };
    ws.onerror = () => { /* onclose follows and reconnects */ };
  }

  #reconnectSoon(delay) {
    clearTimeout(this.timer);
    const d = delay ?? BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)];
    this.attempt++;
    this.#setState('reconnecting', `retrying in ${Math.round(d / 100) / 10} s`);
    this.timer = setTimeout(() => { this.timer = null; this.#connect(); }, d);
  }

  #onMessage(raw) {
    let m;
    try { m = JSON.parse(raw); } catch { return; }
    this.lastMessageAt = Date.now();
    switch (m.type) {
      case 'welcome':
        this.welcome = m.data || {};
        this.attempt = 0;
        this.#setState('open', '');
        for (const topic of this.handlers.keys()) this.#sendSubscribe(topic);
        this.dispatchEvent(new CustomEvent('welcome', {detail: this.welcome}));
        return;
      case 'pong':
        return;
      case 'subscribed':
        this.dispatchEvent(new CustomEvent('subscribed', {detail: m}));
        return;
      case 'error': {
        const code = m.data && m.data.code;
        if (code === 'unauthorized') this.#setState('closed', 'not authorised');
        this.dispatchEvent(new CustomEvent('hub-error', {detail: m.data}));
        return;
      }
      case 'resync':
        // The server dropped events for this client: every page refetches over REST.
        this.dispatchEvent(new CustomEvent('resync', {detail: m}));
        this.#deliver(m.topic, m, true);
        return;
      default:
        if (m.topic && m.id) this.cursors.set(m.topic, m.id);
        this.#deliver(m.topic, m, false);
    }
  }

  #deliver(topic, m, all) {
    const targets = topic && !all ? [this.handlers.get(topic)] : [...this.handlers.values()];
    for (const set of targets) {
      if (!set) continue;
      for (const h of set) {
        try { h(m); } catch (e) { console.warn('live handler failed', e); }
      }
    }
  }

  #sendSubscribe(topic) {
    if (this.state !== 'open') return;
    const msg = {type: 'subscribe', topic};
    const cursor = this.cursors.get(topic);
    if (cursor) msg.cursor = cursor;
    this.#send(msg);
  }

  #send(msg) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(msg));
  }

  #setState(state, detail) {
    if (this.state === state && this.detail === detail) return;
    this.state = state;
    this.detail = detail;
    this.dispatchEvent(new CustomEvent('state', {detail: {state, detail}}));
  }
}

export const live = new LiveHub();

/** Session state implied by a lifecycle event type, when the event carries none. */
export const EVENT_STATE = {
  'session.created': 'created',
  'session.queued': 'queued',
  'session.starting': 'starting',
  'session.started': 'running',
  'session.pausing': 'pausing',
  'session.paused': 'paused',
  'session.stopping': 'stopping',
  'session.stopped': 'stopped',
  'session.completed': 'completed',
  'session.failed': 'failed',
};
