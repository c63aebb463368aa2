// Session lifecycle controls, enabled by the caller's permissions, ownership and the session's state.
import {html, nothing} from 'lit';
import {KElement} from './base.js';
import {api, canControl} from './api.js';

/** Each action: the permission it needs and the states in which it applies. */
export const ACTIONS = [
  {name: 'start', label: 'Start', permission: 'training.start', states: ['created'], primary: true},
  {name: 'resume', label: 'Resume', permission: 'training.start', states: ['paused', 'stopped', 'failed'], primary: true},
  {name: 'pause', label: 'Pause', permission: 'training.stop', states: ['running']},
  {name: 'checkpoint', label: 'Checkpoint now', permission: 'models.write', states: ['running']},
  {name: 'stop', label: 'Stop', permission: 'training.stop', states: ['queued', 'starting', 'running', 'pausing', 'paused'], danger: true},
];

export const ACTIVE_STATES = ['queued', 'starting', 'running', 'pausing', 'stopping'];

/** The actions this user may ever take on this session (regardless of state). */
export function permittedActions(session) {
  return ACTIONS.filter((a) => canControl(session, a.permission));
}

export class SessionActions extends KElement {
  static properties = {
    session: {attribute: false},
    compact: {type: Boolean},
    pending: {state: true},
    error: {state: true},
  };

  constructor() {
    super();
    this.session = null;
    this.compact = false;
    this.pending = null;
    this.error = '';
  }

  render() {
    const s = this.session;
    if (!s) return nothing;
    let actions = permittedActions(s);
    if (actions.length === 0) return nothing;
    if (this.compact) actions = actions.filter((a) => a.states.includes(s.state) && a.name !== 'checkpoint');
    return html`<div class="row" role="group" aria-label="Session controls">
      ${actions.map((a) => html`<button class=${this.compact ? 'small' : a.primary ? 'primary' : a.danger ? 'danger' : ''}
          data-action=${a.name} ?disabled=${!a.states.includes(s.state) || this.pending != null}
          aria-label="${a.label} ${s.name}" @click=${() => this.#run(a)}>${this.pending === a.name ? `${a.label}…` : a.label}</button>`)}
      ${this.error ? html`<span class="field-error" role="alert">${this.error}</span>` : nothing}
    </div>`;
  }

  async #run(action) {
    this.pending = action.name;
    this.error = '';
    try {
      const answer = await api(`/sessions/${encodeURIComponent(this.session.id)}/${action.name}`, {method: 'POST'});
      this.dispatchEvent(new CustomEvent('session-changed', {
        detail: {action: action.name, session: answer && answer.state ? answer : null, answer},
        bubbles: true, composed: true,
      }));
    } catch (e) {
      this.error = e.message;
    } finally {
      this.pending = null;
    }
  }
}
customElements.define('session-actions', SessionActions);
