// The app shell: sign-in state, navigation (History API deep links), connection indicator.
// The pages, their URLs and the navigation bar come from the route table (routes.js).
// Below 760 px the navigation and the user block fold into a menu (a button that opens them as a panel
// under the header); it closes on navigation, on Escape and on a click outside the header.
import {html, nothing} from 'lit';
import {KElement} from './base.js';
import {api, auth, bus, can} from './api.js';
import {live} from './live.js';
import {navigate} from './nav.js';
import {ROUTES, match, load, preloadOthers} from './routes.js';

class KeiseiApp extends KElement {
  static properties = {route: {state: true}, conn: {state: true}, ready: {state: true}, menuOpen: {state: true}};

  constructor() {
    super();
    this.ready = false;
    this.conn = {state: live.state, detail: ''};
    /** The route shown; null until its page module has loaded. */
    this.route = null;
    this._routing = 0;
    this._page = null;
    /** The folded menu (narrow screens) is open. */
    this.menuOpen = false;
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
    document.addEventListener('click', (e) => this.#clickOutsideMenu(e));
    document.addEventListener('keydown', (e) => this.#escapeMenu(e));
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

  async #onRoute() {
    this.menuOpen = false;
    const route = match(location);
    if (this.ready && !route.public && !auth.token) {
      const next = location.pathname + location.search;
      navigate(`/signin${next && next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`, {replace: true});
      return;
    }
    const seq = ++this._routing;
    try {
      await load(route);
    } catch (e) {
      console.warn(`cannot load the page module of ${route.path}`, e);
    }
    if (seq !== this._routing) return;   // a later navigation won
    this.route = route;
    document.title = `${route.title} · Keisei Web UI`;
  }

  updated(changed) {
    if (changed.has('route') && this.route && !this._preloaded) {
      // The first page is up: fetch the other pages' modules while the user looks at it.
      this._preloaded = true;
      const preload = () => preloadOthers(this.route);
      if ('requestIdleCallback' in window) requestIdleCallback(preload); else setTimeout(preload, 0);
    }
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

  #toggleMenu() {
    this.menuOpen = !this.menuOpen;
  }

  #clickOutsideMenu(e) {
    if (this.menuOpen && !e.composedPath().some((n) => n instanceof HTMLElement && n.classList.contains('topbar'))) this.menuOpen = false;
  }

  #escapeMenu(e) {
    if (e.key !== 'Escape' || !this.menuOpen) return;
    this.menuOpen = false;
    this.querySelector('.menu-toggle')?.focus();
  }

  #signOut(expired) {
    this.menuOpen = false;
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
        ${me ? html`<button class="menu-toggle" type="button" aria-expanded=${this.menuOpen ? 'true' : 'false'} aria-controls="topnav"
            @click=${() => this.#toggleMenu()}><span class="menu-icon" aria-hidden="true"></span>Menu</button>` : nothing}
        <div id="topnav" class="topnav${this.menuOpen ? ' open' : ''}">
          <nav aria-label="Main">
            ${me ? ROUTES.filter((n) => n.nav && (!n.permission || can(n.permission))).map((n) => html`
              <a href=${n.path} aria-current=${this.#current(n) ? 'page' : nothing}
                 @click=${() => { this.menuOpen = false; }}>${n.nav}</a>`) : nothing}
          </nav>
          ${me ? html`<div class="who">
            <span class="conn" data-state=${this.conn.state} role="status" aria-live="polite"
                  title=${this.conn.detail || ''}>${this.#connText()}</span>
            <span class="who-name"><span>${me.name}</span> <span class="badge role" data-role=${me.role}>${me.role}</span></span>
            <button class="small" @click=${() => this.#signOut(false)}>Sign out</button>
          </div>` : nothing}
        </div>
      </header>
      <main id="main" class="page" tabindex="-1">${this.ready && r ? this.#page(r) : html`<p class="muted">Loading…</p>`}</main>`;
  }

  #current(entry) {
    const r = this.route;
    return !!r && (r.path === entry.path || r.navUnder === entry.path);
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

  /**
   * The page element of a route. The same page type keeps its element (and its state) and only gets the
   * new parameters, as moving between two sessions does; another page type gets a new element.
   */
  #page(r) {
    if (!r.tag) {
      this._page = null;
      return html`<div class="panel empty"><h1>Not found</h1><p>No page at <code>${r.path}</code>. <a href="/">Back to the overview</a></p></div>`;
    }
    if (this._page?.route !== r) {
      const el = this._page?.el.localName === r.tag ? this._page.el : document.createElement(r.tag);
      Object.assign(el, r.params, {query: r.query});
      this._page = {route: r, el};
    }
    return this._page.el;
  }
}
customElements.define('keisei-app', KeiseiApp);
