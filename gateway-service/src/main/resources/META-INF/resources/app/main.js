// The app shell: sign-in state, navigation (History API deep links), connection indicator.
import {html, nothing} from 'lit';
import {KElement} from './base.js';
import {api, auth, bus, can} from './api.js';
import {live} from './live.js';
import {navigate} from './nav.js';
import './pages/overview.js';
import './pages/session.js';
import './pages/new-session.js';
import './pages/models.js';
import './pages/compare.js';
import './pages/resources.js';
import './pages/signin.js';

const ROUTES = [
  {re: /^\/$/, tag: 'overview', title: 'Overview'},
  {re: /^\/sessions\/([^/]+)$/, tag: 'session', title: 'Session'},
  {re: /^\/new$/, tag: 'new', title: 'New session'},
  {re: /^\/models$/, tag: 'models', title: 'Models'},
  {re: /^\/compare$/, tag: 'compare', title: 'Compare'},
  {re: /^\/resources$/, tag: 'resources', title: 'Resources'},
  {re: /^\/signin$/, tag: 'signin', title: 'Sign in', public: true},
];

const NAV = [
  {href: '/', label: 'Overview'},
  {href: '/new', label: 'New session', permission: 'training.start'},
  {href: '/models', label: 'Models'},
  {href: '/compare', label: 'Compare'},
  {href: '/resources', label: 'Resources'},
];


class KeiseiApp extends KElement {
  static properties = {route: {state: true}, conn: {state: true}, ready: {state: true}};

  constructor() {
    super();
    this.ready = false;
    this.conn = {state: live.state, detail: ''};
    this.route = this.#match();
  }

  createRenderRoot() {
    this.replaceChildren();
    return this;
  }

  connectedCallback() {
    super.connectedCallback();
    addEventListener('popstate', () => this.#onRoute());
    addEventListener('keisei-route', () => this.#onRoute());
    document.addEventListener('click', (e) => this.#interceptLinks(e));
    live.addEventListener('state', (e) => { this.conn = e.detail; });
    bus.addEventListener('unauthorized', () => this.#signOut(true));
    bus.addEventListener('me', () => this.requestUpdate());
    this.#boot();
  }

  async #boot() {
    if (auth.token && auth.me) {
      // Known token: render now and check it in the background (a revoked one signs out on the 401).
      live.start();
      this.ready = true;
      this.#onRoute();
      api('/auth/me').then((me) => auth.set(auth.token, me)).catch(() => { /* 401 is handled by the bus */ });
      return;
    }
    if (auth.token) {
      try {
        auth.set(auth.token, await api('/auth/me'));
        live.start();
      } catch (e) {
        if (e.status === 401 || e.status === 403) auth.clear();
      }
    }
    this.ready = true;
    this.#onRoute();
  }

  #match() {
    const path = location.pathname.replace(/\/+$/, '') || '/';
    for (const r of ROUTES) {
      const m = r.re.exec(path);
      if (m) return {...r, params: m.slice(1).map(decodeURIComponent), path, query: new URLSearchParams(location.search)};
    }
    return {tag: 'notfound', title: 'Not found', params: [], path, query: new URLSearchParams(location.search)};
  }

  #onRoute() {
    const route = this.#match();
    if (this.ready && !route.public && !auth.token) {
      const next = location.pathname + location.search;
      navigate(`/signin${next && next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`, {replace: true});
      return;
    }
    this.route = route;
    document.title = `${route.title} · Keisei Web UI`;
  }

  updated(changed) {
    if (changed.has('route')) {
      const main = this.querySelector('main');
      // Move focus to the new page for keyboard and screen-reader users, without scrolling jumps.
      if (changed.get('route') && main) main.focus({preventScroll: true});
      window.scrollTo(0, 0);
    }
  }

  #interceptLinks(e) {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = e.composedPath().find((n) => n instanceof HTMLAnchorElement);
    if (!a || a.target || a.hasAttribute('download') || a.origin !== location.origin) return;
    if (/^\/(api|q|ws|webjars|_static|_importmap|app)\b/.test(a.pathname)) return;
    e.preventDefault();
    navigate(a.pathname + a.search);
  }

  #signOut(expired) {
    auth.clear();
    live.stop();
    navigate(expired ? `/signin?expired=1` : '/signin');
  }

  render() {
    const r = this.route;
    const me = auth.me;
    return html`
      <a class="skip" href="#main" @click=${(e) => { e.preventDefault(); this.querySelector('main')?.focus(); }}>Skip to content</a>
      <header class="topbar">
        <a class="brand" href="/">Keisei <span class="kanji">形勢</span></a>
        <nav aria-label="Main">
          ${me ? NAV.filter((n) => !n.permission || can(n.permission)).map((n) => html`
            <a href=${n.href} aria-current=${this.#current(n.href) ? 'page' : nothing}>${n.label}</a>`) : nothing}
        </nav>
        ${me ? html`<div class="who">
          <span class="conn" data-state=${this.conn.state} role="status" aria-live="polite"
                title=${this.conn.detail || ''}>${this.#connText()}</span>
          <span>${me.name}</span><span class="badge role" data-role=${me.role}>${me.role}</span>
          <button class="small" @click=${() => this.#signOut(false)}>Sign out</button>
        </div>` : nothing}
      </header>
      <main id="main" class="page" tabindex="-1">${this.ready ? this.#page(r) : html`<p class="muted">Loading…</p>`}</main>`;
  }

  #current(href) {
    const p = this.route.path;
    if (href === '/') return p === '/' || p.startsWith('/sessions/');
    return p === href;
  }

  #connText() {
    switch (this.conn.state) {
      case 'open': return 'Live';
      case 'connecting': return 'Connecting…';
      case 'reconnecting': return 'Reconnecting…';
      case 'closed': return 'Offline';
      default: return 'Not connected';
    }
  }

  #page(r) {
    switch (r.tag) {
      case 'overview': return html`<overview-page></overview-page>`;
      case 'session': return html`<session-page .sessionId=${r.params[0]}></session-page>`;
      case 'new': return html`<new-session-page .query=${r.query}></new-session-page>`;
      case 'models': return html`<models-page .query=${r.query}></models-page>`;
      case 'compare': return html`<compare-page .query=${r.query}></compare-page>`;
      case 'resources': return html`<resources-page></resources-page>`;
      case 'signin': return html`<signin-page .query=${r.query}></signin-page>`;
      default: return html`<div class="panel empty"><h1>Not found</h1><p>No page at <code>${r.path}</code>. <a href="/">Back to the overview</a></p></div>`;
    }
  }
}
customElements.define('keisei-app', KeiseiApp);
