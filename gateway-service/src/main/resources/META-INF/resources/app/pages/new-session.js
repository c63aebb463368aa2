// New session (and config editing): a form generated from the config JSON Schema, templates,
// inline validation (bounds at once, the validate endpoint after a pause) and a diff against the template.
import {html, nothing} from 'lit';
import {KElement, markRendered} from '../base.js';
import {api, can} from '../api.js';
import {navigate} from '../nav.js';

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

/** Checks one value against its JSON Schema property; answers a message or ''. */
export function checkField(prop, value) {
  const types = Array.isArray(prop.type) ? prop.type : [prop.type];
  if (value === null || value === '') return types.includes('null') ? '' : 'is required';
  if (prop.enum && !prop.enum.includes(value)) return `must be one of ${prop.enum.join(', ')}`;
  if (types.includes('integer') || types.includes('number')) {
    if (typeof value !== 'number' || Number.isNaN(value)) return 'must be a number';
    if (types.includes('integer') && !Number.isInteger(value)) return 'must be a whole number';
    if (prop.exclusiveMinimum != null && !(value > prop.exclusiveMinimum)) return `must be greater than ${prop.exclusiveMinimum}`;
    if (prop.minimum != null && value < prop.minimum) return `must be at least ${prop.minimum}`;
    if (prop.maximum != null && value > prop.maximum) return `must be at most ${prop.maximum}`;
  }
  return '';
}

class NewSessionPage extends KElement {
  static properties = {
    query: {attribute: false},
    schema: {state: true}, templates: {state: true}, defaults: {state: true}, template: {state: true}, trainer: {state: true},
    values: {state: true}, errors: {state: true}, serverErrors: {state: true}, name: {state: true},
    priority: {state: true}, startNow: {state: true}, busy: {state: true}, error: {state: true},
    editing: {state: true}, validating: {state: true},
  };

  constructor() {
    super();
    this.schema = null;
    this.templates = [];
    this.defaults = null;
    this.template = '';
    this.trainer = BUILTIN;
    this.configs = new Map();
    this.values = null;
    this.errors = {};
    this.serverErrors = {};
    this.name = '';
    this.priority = 0;
    this.startNow = false;
    this.busy = false;
    this.error = '';
    this.editing = null;
    this.validating = false;
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
      const [templates, session] = await Promise.all([
        api('/config/templates'), editId ? api(`/sessions/${encodeURIComponent(editId)}`) : Promise.resolve(null),
      ]);
      this.templates = templates;
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
    this.errors = {};
    this.serverErrors = {};
    this.#validateSoon();
  }

  #set(section, key, prop, raw, kind) {
    let value = raw;
    if (kind === 'number') value = raw === '' ? '' : Number(raw);
    if (kind === 'nullable') value = raw === '' ? null : raw;
    this.values = setAt(this.values, `${section}.${key}`, value);
    const msg = checkField(prop, value);
    const path = `${section}.${key}`;
    const errors = {...this.errors};
    if (msg) errors[path] = msg; else delete errors[path];
    this.errors = errors;
    this.#validateSoon();
  }

  #validateSoon() {
    clearTimeout(this._validateTimer);
    this._validateTimer = setTimeout(() => this.#validate(), 300);
  }

  async #validate() {
    if (!this.values) return;
    if (Object.keys(this.errors).length) return;
    this.validating = true;
    try {
      const q = this.trainer === BUILTIN ? '' : `?trainer=${encodeURIComponent(this.trainer)}`;
      const r = await api(`/config/validate${q}`, {method: 'POST', body: this.values});
      this.serverErrors = r && r.valid === false ? this.#byField(r.errors) : {};
    } catch (e) {
      this.serverErrors = e.fieldErrors?.length ? this.#byField(e.fieldErrors) : {};
    } finally {
      this.validating = false;
    }
  }

  #byField(errors) {
    const out = {};
    for (const e of errors || []) {
      const f = String(e.field || '').replace(/^[a-z]+\.body\./, '').replace(/^(body\.)?config\.?/, '');
      out[f || '_'] = e.message;
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
    const allErrors = {...this.serverErrors, ...this.errors};
    const count = Object.keys(allErrors).length;
    const baseName = this.editing ? 'the current config' : this.template ? `template ${this.template}` : "Keisei's defaults";
    return html`
      <div class="page-head">
        <h1>${this.editing ? html`Edit config of ${this.editing.name}` : 'New session'}</h1>
        <span class="spacer"></span>
        <span class="muted small" role="status">${this.validating ? 'validating…' : count ? `${count} field${count > 1 ? 's' : ''} to fix` : 'config is valid'}</span>
      </div>
      <form novalidate @submit=${(e) => this.#submit(e)}>
        <div class="grid" style="grid-template-columns:minmax(0,1fr) 340px;align-items:start">
          <div>
            ${this.editing ? nothing : html`
              <fieldset><legend>Session</legend>
                <div class="form-grid">
                  <div class="field"><label for="f-name">Name</label>
                    <input id="f-name" name="name" required maxlength="100" .value=${this.name} autocomplete="off"
                      aria-invalid=${allErrors.name ? 'true' : 'false'} aria-describedby="e-name"
                      @input=${(e) => { this.name = e.target.value; }}>
                    <span id="e-name" class="field-error">${allErrors.name || ''}</span></div>
                  <div class="field"><label for="f-priority">Priority</label>
                    <input id="f-priority" type="number" min="0" max="1000" step="1" .value=${String(this.priority)}
                      @input=${(e) => { this.priority = Number(e.target.value); }}>
                    <span class="desc">0–1000; higher is admitted first when resources are short</span></div>
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
              </fieldset>`}
            ${this.trainer !== BUILTIN ? html`<p class="muted small" data-testid="trainer">Trainer <code>${this.trainer}</code>:
              its own config sections.</p>` : nothing}
            ${formSections(this.schema.properties).map(([section, fields]) => this.#section(section, fields, allErrors, diff))}
          </div>
          <aside class="panel" style="position:sticky;top:64px">
            <h2>Changes vs ${baseName}</h2>
            ${diff.length === 0 ? html`<p class="muted">No changes.</p>` : html`<ul class="diff" data-testid="diff" style="padding-left:1rem">
              ${diff.map((d) => html`<li><span>${d.path}</span>: <span class="old">${JSON.stringify(d.from)}</span> → <span class="new">${JSON.stringify(d.to)}</span></li>`)}</ul>`}
            ${allErrors._ ? html`<p class="field-error">${allErrors._}</p>` : nothing}
            ${this.error ? html`<div class="notice error" role="alert">${this.error}</div>` : nothing}
            <div class="row" style="margin-top:1rem">
              <button class="primary" type="submit" ?disabled=${this.busy || count > 0}>
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

  #bounds(prop) {
    const parts = [];
    if (prop.exclusiveMinimum != null) parts.push(`> ${prop.exclusiveMinimum}`);
    if (prop.minimum != null) parts.push(`≥ ${prop.minimum}`);
    if (prop.maximum != null) parts.push(`≤ ${prop.maximum}`);
    return parts.length && !(prop.minimum != null && prop.minimum === prop.maximum) ? ` (${parts.join(', ')})` : '';
  }

  async #submit(e) {
    e.preventDefault();
    if (Object.keys(this.errors).length) return;
    if (!this.editing && !this.name.trim()) {
      this.serverErrors = {...this.serverErrors, name: 'is required'};
      this.querySelector('#f-name')?.focus();
      return;
    }
    this.busy = true;
    this.error = '';
    try {
      if (this.editing) {
        await api(`/sessions/${encodeURIComponent(this.editing.id)}/config`, {method: 'PUT', body: this.values});
        navigate(`/sessions/${encodeURIComponent(this.editing.id)}`);
        return;
      }
      let overlay = {};
      for (const d of diffConfig(this.#base, this.values)) overlay = setAt(overlay, d.path, d.to);
      const body = {name: this.name.trim(), priority: this.priority, config: overlay};
      if (this.template) body.template = this.template;
      const resumeFrom = this.query?.get('resumeFrom');
      if (resumeFrom) body.resumeFrom = resumeFrom;
      const s = await api('/sessions', {method: 'POST', body});
      if (this.startNow) await api(`/sessions/${encodeURIComponent(s.id)}/start`, {method: 'POST'});
      navigate(`/sessions/${encodeURIComponent(s.id)}`);
    } catch (err) {
      this.error = err.message;
      if (err.fieldErrors?.length) this.serverErrors = this.#byField(err.fieldErrors);
    } finally {
      this.busy = false;
    }
  }
}
customElements.define('new-session-page', NewSessionPage);
