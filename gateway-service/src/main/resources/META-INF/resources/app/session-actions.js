// Session lifecycle controls, enabled by the caller's permissions, ownership and the session's state. Stop asks first,
// in the page (a modal <dialog>); a stopped or failed session with nothing to resume from offers Start, not Resume.
import {html, nothing} from 'lit';
import {KElement} from './base.js';
import {api, canControl} from './api.js';
import {confirmAction} from './widgets.js';

/** States a new attempt may follow (training-service's resume: paused, stopped, failed). */
const RESUMABLE = ['paused', 'stopped', 'failed'];
/** Of those, the ones a session can reach without ever saving a checkpoint (stopped while queued, failed at launch). */
const ENDED = ['stopped', 'failed'];

/** Each action: the permission it needs and the states in which it applies. */
export const ACTIONS = [
  {name: 'start', label: 'Start', permission: 'training.start', states: ['created'], primary: true},
  {name: 'resume', label: 'Resume', permission: 'training.start', states: RESUMABLE, primary: true},
  {name: 'pause', label: 'Pause', permission: 'training.stop', states: ['running']},
  {name: 'checkpoint', label: 'Checkpoint now', permission: 'models.write', states: ['running']},
  {name: 'stop', label: 'Stop', permission: 'training.stop', states: ['queued', 'starting', 'running', 'pausing', 'paused'], danger: true},
];

export const ACTIVE_STATES = ['queued', 'starting', 'running', 'pausing', 'stopping'];

/** The actions this user may ever take on this session (regardless of state). */
export function permittedActions(session) {
  return ACTIONS.filter((a) => canControl(session, a.permission));
}

/**
 * Whether a stopped or failed session has nothing to resume from: no checkpoint of its own (it was stopped while
 * queued, failed before it ran, or never got as far as a checkpoint). The server's resume then starts it over (from
 * the model it was made from, if any), so the dashboard calls that Start.
 */
export function startsOver(session) {
  return ENDED.includes(session.state) && !session.latestCheckpointId && !(session.currentStep > 0);
}

/** Whether an action applies to the session in its state now. */
export function applies(action, session) {
  if (action.name === 'start') return session.state === 'created' || startsOver(session);
  if (action.name === 'resume') return action.states.includes(session.state) && !startsOver(session);
  return action.states.includes(session.state);
}

/** The endpoint an action posts to: Start of a session that has had attempts is training-service's resume. */
function endpointOf(action, session) {
  return action.name === 'start' && session.state !== 'created' ? 'resume' : action.name;
}

export class SessionActions extends KElement {
  static properties = {
    session: {attribute: false},
    compact: {type: Boolean},
    pending: {state: true},
    error: {state: true},
    checked: {state: true},
  };

  constructor() {
    super();
    this.session = null;
    this.compact = false;
    this.pending = null;
    this.error = '';
    /** The checkpoint fields of the session as read again after it stopped or failed in view: {id, latestCheckpointId, currentStep}. */
    this.checked = null;
  }

  willUpdate(changed) {
    if (changed.has('session')) this.#recheck();
  }

  /**
   * A page keeps the session it read and follows its state by events: one that stops or fails in view may have saved
   * its checkpoint since. Read it again then (not on first sight: that was just read), so that Start and Resume say
   * what the server will do.
   */
  #recheck() {
    const s = this.session;
    const before = this._seen;
    this._seen = s ? {id: s.id, state: s.state} : null;
    if (!s || !before || before.id !== s.id || before.state === s.state || !startsOver(s)) return;
    api(`/sessions/${encodeURIComponent(s.id)}`).then((fresh) => {
      if (fresh && this.session?.id === fresh.id) {
        this.checked = {id: fresh.id, latestCheckpointId: fresh.latestCheckpointId, currentStep: fresh.currentStep};
      }
    }).catch(() => { /* keep what the page has */ });
  }

  /** The session with its checkpoint fields as last read. */
  get #current() {
    const s = this.session;
    return this.checked && s && this.checked.id === s.id
      ? {...s, latestCheckpointId: s.latestCheckpointId || this.checked.latestCheckpointId,
        currentStep: Math.max(s.currentStep || 0, this.checked.currentStep || 0)}
      : s;
  }

  render() {
    const s = this.#current;
    if (!s) return nothing;
    let actions = permittedActions(s);
    if (actions.length === 0) return nothing;
    if (this.compact) actions = actions.filter((a) => applies(a, s) && a.name !== 'checkpoint');
    return html`<div class="row" role="group" aria-label="Session controls">
      ${actions.map((a) => html`<button class=${this.compact ? 'small' : a.primary ? 'primary' : a.danger ? 'danger' : ''}
          data-action=${a.name} ?disabled=${!applies(a, s) || this.pending != null}
          title=${a.name === 'start' && startsOver(s) ? this.#startOverHint(s) : nothing}
          aria-label="${a.label} ${s.name}" @click=${() => this.#click(a)}>${this.pending === a.name ? `${a.label}…` : a.label}</button>`)}
      ${this.error ? html`<span class="field-error" role="alert">${this.error}</span>` : nothing}
    </div>`;
  }

  #startOverHint(s) {
    return `Nothing to resume from (no checkpoint yet): starts again from ${s.resumeFromCheckpointId ? 'the model it was made from' : 'the beginning'}`;
  }

  /** What stopping does, in the session's state's words. */
  #stopConsequence(s) {
    if (s.state === 'queued') return 'It leaves the queue without having run. You can start it again later.';
    if (s.state === 'paused') return 'It keeps the checkpoint it paused with; you can resume from it later.';
    return 'The trainer saves a checkpoint first, then exits and releases its resources (it is stopped by force after a grace period). You can resume from that checkpoint later.';
  }

  async #click(action) {
    if (action.name !== 'stop') {
      this.#run(action);
      return;
    }
    this.error = '';
    const s = this.#current;
    if (await confirmAction({title: `Stop session ${s.name}?`, body: this.#stopConsequence(s), confirmLabel: 'Stop', key: 'stop'})) {
      this.#run(action);
    }
  }

  async #run(action) {
    const s = this.#current;
    this.pending = action.name;
    this.error = '';
    try {
      const answer = await api(`/sessions/${encodeURIComponent(s.id)}/${endpointOf(action, s)}`, {method: 'POST'});
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
