// New session (and config editing): a form generated from the JSON Schemas the server checks with (the trainer's
// config schema; the session schema for name and priority), templates, and a diff against the template. Every field
// is checked at once as the user types, by the rules those schemas carry; the validate endpoint adds the cross-field
// rules after a pause. A server error on a field lasts until that field changes; the submit button is disabled by
// the errors of the moment only.
import {html, nothing} from 'lit';
import {KElement, markRendered} from '../base.js';
import {api, can} from '../api.js';
import {navigate} from '../nav.js';
import {GATING_MODES, policyFrom} from '../gating.js';
import {fmtCpu} from '../format.js';

const OPEN_SECTIONS = new Set(['env', 'training', 'evaluation', 'model']);
const BUILTIN = 'builtin';

function clone(v) {
  return v == null ? v : JSON.parse(JSON.stringify(v));
}

export function deepMerge(base, over) {
  const out = clone(base) || {};
  for (const [k, v] of Object.entries(over || {})) {
    out[k] = v && typeof v === 'object' && !Array.isArray(v) ? deepMerge(out[k] || {}, v) : v;
  }
  return out;
}

function isTable(v) {
  return v != null && typeof v === 'object' && !Array.isArray(v);
}

/** The value at a dotted path ("training.algorithm_params.gamma"). */
export function getAt(obj, path) {
  return path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

/** A copy of `obj` with `value` at a dotted path; tables on the way are copied, not shared. */
export function setAt(obj, path, value) {
  const [head, ...rest] = path.split('.');
  const out = {...(obj || {})};
  out[head] = rest.length ? setAt(isTable(out[head]) ? out[head] : {}, rest.join('.'), value) : value;
  return out;
}

/**
 * Values in `values` that differ from `base`, at any depth (a TOML document nests tables):
 * [{path, section, key, from, to}] with `section` the dotted table and `key` the last part.
 */
export function diffConfig(base, values, prefix = '') {
  const out = [];
  for (const [key, to] of Object.entries(values || {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    const from = base?.[key];
    if (isTable(to)) {
      out.push(...diffConfig(isTable(from) ? from : {}, to, path));
    } else if (JSON.stringify(from) !== JSON.stringify(to)) {
      out.push({path, section: prefix, key, from, to});
    }
  }
  return out;
}

/** The form's sections: every table of the schema with settings of its own, nested tables as "a.b". */
export function formSections(props, prefix = '') {
  const out = [];
  for (const [name, sp] of Object.entries(props || {})) {
    if (sp.type !== 'object' || !sp.properties) continue;
    const path = prefix ? `${prefix}.${name}` : name;
    const own = Object.entries(sp.properties).filter(([, p]) => p.type !== 'object');
    if (own.length) out.push([path, own]);
    out.push(...formSections(sp.properties, path));
  }
  return out;
}

/** JSON Schema patterns (ECMAScript, Unicode-aware), compiled once; null for one this browser cannot read. */
const patterns = new Map();
function patternOf(source) {
  if (!patterns.has(source)) {
    let re = null;
    try { re = new RegExp(source, 'u'); } catch { /* the server still checks it */ }
    patterns.set(source, re);
  }
  return patterns.get(source);
}

/**
 * Checks one value against its JSON Schema property (type, enum, bounds, length, pattern); answers a message or ''.
 * A pattern's message is the server's own, from the schema's x-pattern-message.
 */
export function checkField(prop, value) {
  const types = Array.isArray(prop.type) ? prop.type : [prop.type];
  if (value == null || (value === '' && !types.includes('string'))) return types.includes('null') ? '' : 'is required';
  if (prop.enum && !prop.enum.includes(value)) return `must be one of ${prop.enum.filter((v) => v != null).join(', ')}`;
  if (types.includes('integer') || types.includes('number')) {
    if (typeof value !== 'number' || Number.isNaN(value)) return 'must be a number';
    if (types.includes('integer') && !Number.isInteger(value)) return 'must be a whole number';
    if (prop.exclusiveMinimum != null && !(value > prop.exclusiveMinimum)) return `must be greater than ${prop.exclusiveMinimum}`;
    if (prop.minimum != null && value < prop.minimum) return `must be at least ${prop.minimum}`;
    if (prop.maximum != null && value > prop.maximum) return `must be at most ${prop.maximum}`;
  }
  if (typeof value === 'string') {
    if (prop.minLength != null && value.length < prop.minLength) {
      return value.length === 0 ? 'is required' : `must be at least ${prop.minLength} characters`;
    }
    if (prop.maxLength != null && value.length > prop.maxLength) return `must be at most ${prop.maxLength} characters`;
    const re = prop.pattern ? patternOf(prop.pattern) : null;
    if (re && !re.test(value)) return prop['x-pattern-message'] || `must match ${prop.pattern}`;
  }
  return '';
}

/**
 * The session's own fields (name, priority) as they will be sent, checked by the session schema (getSessionSchema):
 * {name: message, priority: message}, without the fields that are fine. An empty optional field is left out (the
 * server's default applies); an empty name is required.
 */
export function checkSessionFields(schema, {name, priority}) {
  const props = schema?.properties || {};
  const required = schema?.required || ['name'];
  const out = {};
  for (const [key, value] of Object.entries({name: name.trim(), priority: priority === '' ? '' : Number(priority)})) {
    if (value === '') {
      if (required.includes(key)) out[key] = 'is required';
      continue;
    }
    const msg = props[key] ? checkField(props[key], value) : '';
    if (msg) out[key] = msg;
  }
  return out;
}

/** A copy of `errors` without `path` (the same object when it has none). */
function without(errors, path) {
  if (!(path in errors)) return errors;
  const out = {...errors};
  delete out[path];
  return out;
}

class NewSessionPage extends KElement {
  static properties = {
    query: {attribute: false},
    schema: {state: true}, sessionSchema: {state: true}, templates: {state: true}, defaults: {state: true},
    template: {state: true}, trainer: {state: true}, values: {state: true}, configErrors: {state: true},
    submitErrors: {state: true}, name: {state: true}, nameTouched: {state: true}, priority: {state: true},
    startNow: {state: true}, busy: {state: true}, error: {state: true}, editing: {state: true}, validating: {state: true},
    gating: {state: true}, pools: {state: true}, pool: {state: true},
  };

  constructor() {
    super();
    this.schema = null;
    this.sessionSchema = null;
    this.templates = [];
    this.defaults = null;
    this.template = '';
    this.trainer = BUILTIN;
    this.configs = new Map();
    this.values = null;
    /** The validate endpoint's errors of the current config, by path (training.minibatch_size). */
    this.configErrors = {};
    /** The errors of the last create (or save), by path (name, template, training.x, resumeFrom). */
    this.submitErrors = {};
    this.name = '';
    this.nameTouched = false;
    /** As typed: '' (the server's default) or a number's text. */
    this.priority = '0';
    this.startNow = false;
    /** Automatic gating as chosen: the mode and, as typed, the one number each mode is mostly tuned by ('' = default). */
    this.gating = {mode: 'off', games: '', elo1: ''};
    /** The suite's resource pools (getResources), null until read; the one chosen, '' for the default pool. */
    this.pools = null;
    this.pool = '';
    this.busy = false;
    this.error = '';
    this.editing = null;
    this.validating = false;
    this._validateSeq = 0;
  }

  connectedCallback() {
    super.connectedCallback();
    this.#load();
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    clearTimeout(this._validateTimer);
  }

  async #load() {
    try {
      const editId = this.query?.get('edit');
      const [templates, session, sessionSchema] = await Promise.all([
        api('/config/templates'), editId ? api(`/sessions/${encodeURIComponent(editId)}`) : Promise.resolve(null),
        editId ? Promise.resolve(null) : api('/config/session-schema'),
      ]);
      this.templates = templates;
      this.sessionSchema = sessionSchema;
      // The pools only matter for a choice between several; without them the form still makes sessions (default pool).
      if (!editId) api('/resources').then((r) => { this.pools = r?.pools || []; }).catch(() => { this.pools = []; });
      if (session) {
        await this.#useTrainer(session.trainer || BUILTIN);
        this.editing = session;
        this.name = session.name;
        this.values = deepMerge(this.defaults, session.config);
      } else {
        const wanted = this.query?.get('template');
        const first = this.templates.find((t) => t.name === wanted && t.available !== false)
          || this.templates.find((t) => t.available !== false);
        await this.#chooseTemplate(first ? first.name : '');
      }
    } catch (e) {
      this.error = e.message;
    }
  }

  get #base() {
    if (this.editing) return deepMerge(this.defaults, this.editing.config);
    const t = this.templates.find((x) => x.name === this.template);
    return deepMerge(this.defaults, t ? t.config : {});
  }

  /** Schema and defaults of a trainer's dialect (the built-in trainer's and keisei-train's differ), read once. */
  async #useTrainer(trainer) {
    if (!this.configs.has(trainer)) {
      const q = trainer === BUILTIN ? '' : `?trainer=${encodeURIComponent(trainer)}`;
      const [schema, defaults] = await Promise.all([api(`/config/schema${q}`), api(`/config/defaults${q}`)]);
      this.configs.set(trainer, {schema, defaults});
    }
    const c = this.configs.get(trainer);
    this.trainer = trainer;
    this.schema = c.schema;
    this.defaults = c.defaults;
  }

  async #chooseTemplate(name) {
    const t = this.templates.find((x) => x.name === name);
    await this.#useTrainer(t ? t.trainer : BUILTIN);
    this.template = name;
    this.values = this.#base;
    // A new config: the server's word on the old one no longer applies (on the name and priority it still does).
    this.configErrors = {};
    const {name: nameError, priority: priorityError} = this.submitErrors;
    this.submitErrors = {...(nameError ? {name: nameError} : {}), ...(priorityError ? {priority: priorityError} : {})};
    this.error = '';
    this.#validateSoon();
  }

  /** A field changed: what the server said about it is out of date, and so is the last failure's message. */
  #changed(path) {
    this.configErrors = without(this.configErrors, path);
    this.submitErrors = without(this.submitErrors, path);
    this.error = '';
  }

  #set(section, key, prop, raw, kind) {
    let value = raw;
    if (kind === 'number') value = raw === '' ? '' : Number(raw);
    if (kind === 'nullable') value = raw === '' ? null : raw;
    const path = `${section}.${key}`;
    this.values = setAt(this.values, path, value);
    this.#changed(path);
    this.#validateSoon();
  }

  #validateSoon() {
    clearTimeout(this._validateTimer);
    const seq = ++this._validateSeq;
    this._validateTimer = setTimeout(() => this.#validate(seq), 300);
  }

  /** The cross-field rules (and anything else the server knows) for the config as it is now; a stale answer is dropped. */
  async #validate(seq) {
    if (!this.values) return;
    this.validating = true;
    try {
      const q = this.trainer === BUILTIN ? '' : `?trainer=${encodeURIComponent(this.trainer)}`;
      const r = await api(`/config/validate${q}`, {method: 'POST', body: this.values});
      if (seq === this._validateSeq) this.configErrors = r && r.valid === false ? this.#byField(r.errors) : {};
    } catch (e) {
      if (seq === this._validateSeq) this.configErrors = e.fieldErrors?.length ? this.#byField(e.fieldErrors) : {};
    } finally {
      if (seq === this._validateSeq) this.validating = false;
    }
  }

  /** Field errors by the form's paths: a config's "config.training.x" is "training.x"; others keep their own path. */
  #byField(errors) {
    const out = {};
    for (const e of errors || []) {
      const field = String(e.field || '');
      const f = field.replace(/^[a-z]+\.body\./, '').replace(/^(body\.)?config(\.|$)/, '');
      out[f || field || 'body'] = e.message;
    }
    return out;
  }

  /** The paths the form shows a field for: the session's own (new sessions) and every config field. */
  #formPaths(sections) {
    const out = new Set(this.editing ? [] : ['name', 'priority', 'template', 'gating.mode', 'gating.games', 'gating.elo1']);
    if (this.#offersPools) out.add('pool');
    for (const [section, fields] of sections) for (const [key] of fields) out.add(`${section}.${key}`);
    return out;
  }

  /** What the browser finds wrong now, by path, from the schemas' rules alone. */
  #clientErrors(sections) {
    const out = {};
    if (!this.editing) {
      const session = checkSessionFields(this.sessionSchema, {name: this.name, priority: this.priority});
      // An untouched empty name is not an error yet: it becomes one once typed in and out, or at the first create.
      if (session.name && (this.nameTouched || this.name !== '')) out.name = session.name;
      if (session.priority) out.priority = session.priority;
    }
    for (const [section, fields] of sections) {
      for (const [key, prop] of fields) {
        const path = `${section}.${key}`;
        const v = getAt(this.values, path);
        if (v === undefined) continue;   // not in the config: the server fills in its default
        const msg = checkField(prop, v);
        if (msg) out[path] = msg;
      }
    }
    return out;
  }


  updated() {
    if (!this._marked && this.schema != null && this.values != null) {
      this._marked = true;
      markRendered('new');
    }
  }
  render() {
    if (!can('training.start') && !this.editing) {
      return html`<div class="notice">Your role cannot create sessions. <a href="/">Back to the overview</a></div>`;
    }
    if (this.error && !this.schema) return html`<div class="notice error" role="alert">${this.error}</div>`;
    if (!this.schema || !this.values) return html`<div class="page-head"><h1>New session</h1></div><div class="empty">Loading the config schema…</div>`;
    const diff = diffConfig(this.#base, this.values);
    const sections = formSections(this.schema.properties);
    const allErrors = {...this.configErrors, ...this.submitErrors, ...this.#clientErrors(sections)};
    const shown = this.#formPaths(sections);
    // Errors on fields the form has keep the submit button disabled until those fields change; the others (a
    // resumeFrom that went away, the config as a whole) are listed with their path and leave it to the user to retry.
    const count = Object.keys(allErrors).filter((p) => shown.has(p)).length;
    const blocking = count > 0;
    const elsewhere = Object.entries(allErrors).filter(([p]) => !shown.has(p));
    const rules = this.sessionSchema?.properties || {};
    const baseName = this.editing ? 'the current config' : this.template ? `template ${this.template}` : "Keisei's defaults";
    return html`
      <div class="page-head">
        <h1>${this.editing ? html`Edit config of ${this.editing.name}` : 'New session'}</h1>
        <span class="spacer"></span>
        <span class="muted small" role="status">${this.validating ? 'validating…' : count ? `${count} field${count > 1 ? 's' : ''} to fix` : 'config is valid'}</span>
      </div>
      <form novalidate @submit=${(e) => this.#submit(e)}>
        <div class="grid with-side wide-side">
          <div>
            ${this.editing ? nothing : html`
              <fieldset><legend>Session</legend>
                <div class="form-grid">
                  <div class="field"><label for="f-name">Name</label>
                    <input id="f-name" name="name" required .value=${this.name} autocomplete="off"
                      aria-invalid=${allErrors.name ? 'true' : 'false'} aria-describedby="d-name e-name"
                      @input=${(e) => { this.name = e.target.value; this.nameTouched = true; this.#changed('name'); }}
                      @blur=${() => { this.nameTouched = true; }}>
                    <span id="d-name" class="desc">${this.#nameRule(rules.name)}</span>
                    <span id="e-name" class="field-error" data-field="name">${allErrors.name || ''}</span></div>
                  <div class="field"><label for="f-priority">Priority</label>
                    <input id="f-priority" name="priority" type="number" inputmode="numeric" step="1"
                      min=${rules.priority?.minimum ?? nothing} max=${rules.priority?.maximum ?? nothing}
                      .value=${this.priority} aria-invalid=${allErrors.priority ? 'true' : 'false'}
                      aria-describedby="d-priority e-priority"
                      @input=${(e) => { this.priority = e.target.value; this.#changed('priority'); }}>
                    <span id="d-priority" class="desc">${rules.priority?.minimum != null && rules.priority?.maximum != null
                      ? `${rules.priority.minimum}–${rules.priority.maximum}; ` : ''}higher is admitted first when resources are short</span>
                    <span id="e-priority" class="field-error" data-field="priority">${allErrors.priority || ''}</span></div>
                  ${this.#poolField(allErrors)}
                  ${this.#gatingFields(allErrors)}
                  <div class="field check"><input id="f-start" type="checkbox" .checked=${this.startNow}
                      @change=${(e) => { this.startNow = e.target.checked; }}><label for="f-start">Start right away</label></div>
                </div>
              </fieldset>
              <fieldset><legend>Template</legend>
                <div class="templates" role="radiogroup" aria-label="Template">
                  ${this.templates.map((t) => html`<label class="template${t.available === false ? ' unavailable' : ''}">
                    <input type="radio" name="template" value=${t.name} .checked=${this.template === t.name}
                      ?disabled=${t.available === false} @change=${() => this.#chooseTemplate(t.name)}>
                    <span><strong>${t.title || t.name}</strong> <code class="small">${t.name}</code><br>
                      <span class="muted small">${t.description || ''}</span>
                      ${t.available === false ? html`<br><span class="muted small" data-testid="template-unavailable">Needs the
                        trainer <code>${t.trainer}</code>, which an operator registers (docs/${t.dialect}.md).</span>` : nothing}</span></label>`)}
                  <label class="template"><input type="radio" name="template" value="" .checked=${this.template === ''}
                      @change=${() => this.#chooseTemplate('')}>
                    <span><strong>No template</strong><br><span class="muted small">Start from Keisei's defaults</span></span></label>
                </div>
                <span class="field-error" data-field="template" role=${allErrors.template ? 'alert' : nothing}>${allErrors.template || ''}</span>
              </fieldset>`}
            ${this.trainer !== BUILTIN ? html`<p class="muted small" data-testid="trainer">Trainer <code>${this.trainer}</code>:
              its own config sections.</p>` : nothing}
            ${sections.map(([section, fields]) => this.#section(section, fields, allErrors, diff))}
          </div>
          <aside class="panel form-aside">
            <h2>Changes vs ${baseName}</h2>
            ${diff.length === 0 ? html`<p class="muted">No changes.</p>` : html`<ul class="diff" data-testid="diff" style="padding-left:1rem">
              ${diff.map((d) => html`<li><span>${d.path}</span>: <span class="old">${JSON.stringify(d.from)}</span> → <span class="new">${JSON.stringify(d.to)}</span></li>`)}</ul>`}
            ${elsewhere.length ? html`<ul class="field-errors" data-testid="other-errors" role="alert">
              ${elsewhere.map(([path, message]) => html`<li class="field-error" data-field=${path}><code>${path}</code>: ${message}</li>`)}</ul>` : nothing}
            ${this.error ? html`<div class="notice error" role="alert">${this.error}</div>` : nothing}
            <div class="row" style="margin-top:1rem">
              <button class="primary" type="submit" ?disabled=${this.busy || blocking}>
                ${this.editing ? 'Save config' : this.startNow ? 'Create and start' : 'Create session'}</button>
              <button type="button" @click=${() => (this.editing ? navigate(`/sessions/${encodeURIComponent(this.editing.id)}`) : this.#chooseTemplate(this.template))}>
                ${this.editing ? 'Cancel' : 'Reset'}</button>
            </div>
          </aside>
        </div>
      </form>`;
  }

  #section(section, fields, errors, diff) {
    const changed = new Set(diff.map((d) => d.path));
    const sectionErrors = fields.some(([k]) => errors[`${section}.${k}`]);
    return html`<details class="panel" style="margin-bottom:1rem" ?open=${OPEN_SECTIONS.has(section.split('.')[0]) || sectionErrors}>
      <summary><span style="text-transform:capitalize">${section}</span> <span class="muted small">(${fields.length} settings${
        fields.some(([k]) => changed.has(`${section}.${k}`)) ? ', changed' : ''})</span></summary>
      <div class="form-grid" style="margin-top:.6rem">
        ${fields.map(([key, prop]) => this.#field(section, key, prop, errors[`${section}.${key}`], changed.has(`${section}.${key}`)))}
      </div></details>`;
  }

  #field(section, key, prop, error, changed) {
    const id = `f-${section}-${key}`;
    const v = getAt(this.values, `${section}.${key}`);
    const types = Array.isArray(prop.type) ? prop.type : [prop.type];
    const describedBy = `${id}-d ${id}-e`;
    const cls = `field${changed ? ' changed' : ''}`;
    const help = html`<span id="${id}-d" class="desc">${prop.description || ''}${this.#bounds(prop)}</span>
      <span id="${id}-e" class="field-error" data-field=${`${section}.${key}`}>${error || ''}</span>`;
    if (types.includes('boolean')) {
      return html`<div class=${cls}><div class="row"><input id=${id} name=${`${section}.${key}`} type="checkbox" .checked=${!!v}
        aria-describedby=${describedBy} @change=${(e) => this.#set(section, key, prop, e.target.checked, 'bool')}>
        <label for=${id}>${key}</label></div>${help}</div>`;
    }
    if (prop.enum) {
      return html`<div class=${cls}><label for=${id}>${key}</label>
        <select id=${id} name=${`${section}.${key}`} aria-describedby=${describedBy} aria-invalid=${error ? 'true' : 'false'}
          @change=${(e) => this.#set(section, key, prop, e.target.value === '' && prop.enum.includes(null) ? null : e.target.value, 'string')}>
          ${prop.enum.map((o) => html`<option value=${o ?? ''} ?selected=${o === v}>${o ?? '(none)'}</option>`)}</select>${help}</div>`;
    }
    if (types.includes('integer') || types.includes('number')) {
      return html`<div class=${cls}><label for=${id}>${key}</label>
        <input id=${id} name=${`${section}.${key}`} type="number" inputmode="decimal" step=${types.includes('integer') ? '1' : 'any'}
          .value=${v == null ? '' : String(v)} aria-describedby=${describedBy} aria-invalid=${error ? 'true' : 'false'}
          @input=${(e) => this.#set(section, key, prop, e.target.value, 'number')}>${help}</div>`;
    }
    return html`<div class=${cls}><label for=${id}>${key}</label>
      <input id=${id} name=${`${section}.${key}`} type="text" .value=${v ?? ''} placeholder=${types.includes('null') ? '(none)' : ''}
        aria-describedby=${describedBy} aria-invalid=${error ? 'true' : 'false'}
        @input=${(e) => this.#set(section, key, prop, e.target.value, types.includes('null') ? 'nullable' : 'string')}>${help}</div>`;
  }

  /** What a name may be, from the session schema: "Letters, digits, spaces and _ . : - only; up to 100 characters". */
  #nameRule(prop) {
    if (!prop) return '';
    const rule = prop['x-pattern-message'] ? prop['x-pattern-message'].replace(/^may contain /, '') : '';
    const parts = [rule ? rule.charAt(0).toUpperCase() + rule.slice(1) : '', prop.maxLength ? `up to ${prop.maxLength} characters` : ''];
    return parts.filter(Boolean).join('; ');
  }

  #bounds(prop) {
    const parts = [];
    if (prop.exclusiveMinimum != null) parts.push(`> ${prop.exclusiveMinimum}`);
    if (prop.minimum != null) parts.push(`≥ ${prop.minimum}`);
    if (prop.maximum != null) parts.push(`≤ ${prop.maximum}`);
    return parts.length && !(prop.minimum != null && prop.minimum === prop.maximum) ? ` (${parts.join(', ')})` : '';
  }

  /** A choice of pool is offered only when there is one to make (a cluster with labelled nodes has several). */
  get #offersPools() {
    return !this.editing && (this.pools?.length ?? 0) > 1;
  }

  /** The resource pool the trainer runs in: the default one unless chosen, each with what it has free now. */
  #poolField(errors) {
    if (!this.#offersPools) return nothing;
    const free = (p) => (p.free ? ` — free: ${p.free.gpus ?? 0} GPU${p.free.gpus === 1 ? '' : 's'}, ${fmtCpu(p.free.cpuMillis)}` : '');
    return html`<div class="field"><label for="f-pool">Pool</label>
        <select id="f-pool" name="pool" .value=${this.pool} aria-invalid=${errors.pool ? 'true' : 'false'}
          aria-describedby="d-pool e-pool" @change=${(e) => { this.pool = e.target.value; this.#changed('pool'); }}>
          <option value="" ?selected=${this.pool === ''}>(default pool)</option>
          ${this.pools.map((p) => html`<option value=${p.name} ?selected=${p.name === this.pool}>${p.name}${free(p)}</option>`)}</select>
        <span id="d-pool" class="desc">where its trainer runs (the Resources page shows each pool); a GPU config needs a pool
          with GPUs</span>
        <span id="e-pool" class="field-error" data-field="pool">${errors.pool || ''}</span></div>`;
  }

  /** Optional automatic gating of the session's checkpoints: off, an SPRT or a fixed number of games against the best. */
  #gatingFields(errors) {
    const g = this.gating;
    const set = (k, v) => { this.gating = {...this.gating, [k]: v}; this.#changed(`gating.${k}`); };
    return html`<div class="field"><label for="f-gating">Gating</label>
        <select id="f-gating" name="gating" .value=${g.mode} aria-describedby="d-gating e-gating-mode"
          @change=${(e) => set('mode', e.target.value)}>
          ${GATING_MODES.map(([v, label]) => html`<option value=${v} ?selected=${v === g.mode}>${label}</option>`)}</select>
        <span id="d-gating" class="desc">each new checkpoint plays the session's best; one significantly stronger becomes
          the best (change it later on the session page)</span>
        <span id="e-gating-mode" class="field-error" data-field="gating.mode">${errors['gating.mode'] || ''}</span></div>
      ${g.mode === 'off' ? nothing : html`<div class="field"><label for="f-gating-games">${g.mode === 'sprt' ? 'Games per batch' : 'Games'}</label>
        <input id="f-gating-games" type="number" inputmode="numeric" min="1" step="1" .value=${g.games}
          placeholder=${g.mode === 'sprt' ? '50' : '100'} aria-invalid=${errors['gating.games'] ? 'true' : 'false'}
          aria-describedby="e-gating-games" @input=${(e) => set('games', e.target.value)}>
        <span id="e-gating-games" class="field-error" data-field="gating.games">${errors['gating.games'] || ''}</span></div>`}
      ${g.mode === 'sprt' ? html`<div class="field"><label for="f-gating-elo1">Elo gain to detect (elo1)</label>
        <input id="f-gating-elo1" type="number" step="any" .value=${g.elo1} placeholder="30"
          aria-invalid=${errors['gating.elo1'] ? 'true' : 'false'} aria-describedby="d-gating-elo1 e-gating-elo1"
          @input=${(e) => set('elo1', e.target.value)}>
        <span id="d-gating-elo1" class="desc">against elo0 0, 5 % errors; a smaller gain needs more games</span>
        <span id="e-gating-elo1" class="field-error" data-field="gating.elo1">${errors['gating.elo1'] || ''}</span></div>` : nothing}`;
  }

  async #submit(e) {
    e.preventDefault();
    if (this.busy) return;
    if (!this.editing && !this.name.trim()) {
      this.nameTouched = true;
      this.querySelector('#f-name')?.focus();
      return;
    }
    const sections = formSections(this.schema.properties);
    const shown = this.#formPaths(sections);
    const errors = {...this.configErrors, ...this.submitErrors, ...this.#clientErrors(sections)};
    if (Object.keys(errors).some((p) => shown.has(p))) return;
    this.busy = true;
    this.error = '';
    this.submitErrors = {};
    try {
      if (this.editing) {
        await api(`/sessions/${encodeURIComponent(this.editing.id)}/config`, {method: 'PUT', body: this.values});
        navigate(`/sessions/${encodeURIComponent(this.editing.id)}`);
        return;
      }
      let overlay = {};
      for (const d of diffConfig(this.#base, this.values)) overlay = setAt(overlay, d.path, d.to);
      const body = {name: this.name.trim(), config: overlay};
      if (this.priority !== '') body.priority = Number(this.priority);
      if (this.template) body.template = this.template;
      if (this.pool) body.pool = this.pool;
      const resumeFrom = this.query?.get('resumeFrom');
      if (resumeFrom) body.resumeFrom = resumeFrom;
      if (this.gating.mode !== 'off') {
        body.gating = policyFrom({mode: this.gating.mode, games: this.gating.games,
          elo1: this.gating.mode === 'sprt' ? this.gating.elo1 : ''});
      }
      const s = await api('/sessions', {method: 'POST', body});
      if (this.startNow) {
        // The session exists either way: a start that fails (resources it can never get) leaves it failed, with the
        // reason, on its page; creating it again from here would make a second one.
        try { await api(`/sessions/${encodeURIComponent(s.id)}/start`, {method: 'POST'}); } catch { /* shown there */ }
      }
      navigate(`/sessions/${encodeURIComponent(s.id)}`);
    } catch (err) {
      // Field errors are shown at their fields (or listed with their path) until the field changes; a failure
      // without them (no gateway, a conflict) is a message of its own, until the next change.
      const fields = this.#byField(err.fieldErrors);
      this.submitErrors = fields;
      this.error = Object.keys(fields).length ? '' : err.message;
    } finally {
      this.busy = false;
    }
  }
}
customElements.define('new-session-page', NewSessionPage);
