// Sign-in with an API token: checked with GET /api/v1/auth/me, then kept in localStorage.
import {html, nothing} from 'lit';
import {KElement} from '../base.js';
import {api, auth} from '../api.js';
import {live} from '../live.js';
import {navigate} from '../nav.js';

class SigninPage extends KElement {
  static properties = {query: {attribute: false}, error: {state: true}, busy: {state: true}};

  constructor() {
    super();
    this.error = '';
    this.busy = false;
  }

  firstUpdated() {
    this.querySelector('#token')?.focus();
  }

  render() {
    const expired = this.query?.get('expired');
    return html`<section class="panel signin" aria-labelledby="signin-h">
      <h1 id="signin-h">Sign in</h1>
      ${auth.me ? html`<p>Signed in as <strong>${auth.me.name}</strong> (${auth.me.role}). <a href="/">Go to the overview</a></p>` : nothing}
      ${expired ? html`<div class="notice warn" role="status">Your token was not accepted any more; sign in again.</div>` : nothing}
      <p class="muted">Paste an API token. The first admin token is printed by <code>./keisei up</code> and kept in
        <code>data/admin.token</code>; an admin creates tokens for others (roles admin, trainer, researcher, viewer).</p>
      <form @submit=${(e) => this.#submit(e)}>
        <div class="field"><label for="token">API token</label>
          <input id="token" name="token" type="password" autocomplete="current-password" spellcheck="false" required
            aria-invalid=${this.error ? 'true' : 'false'} aria-describedby="token-e">
          <span id="token-e" class="field-error" role="alert">${this.error}</span></div>
        <button class="primary" type="submit" ?disabled=${this.busy}>${this.busy ? 'Checking…' : 'Sign in'}</button>
      </form>
    </section>`;
  }

  async #submit(e) {
    e.preventDefault();
    const token = this.querySelector('#token').value.trim();
    if (!token) { this.error = 'Enter a token'; return; }
    this.busy = true;
    this.error = '';
    try {
      const me = await api('/auth/me', {token});
      auth.set(token, me);
      live.start();
      const next = this.query?.get('next');
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', {replace: true});
    } catch (err) {
      this.error = err.status === 401 || err.status === 403 ? 'This token is not valid.' : err.message;
    } finally {
      this.busy = false;
    }
  }
}
customElements.define('signin-page', SigninPage);
