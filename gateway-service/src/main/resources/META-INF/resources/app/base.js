// Base class: components render into the light DOM so the one stylesheet (app.css) and uPlot's CSS apply.
import {LitElement} from 'lit';

export class KElement extends LitElement {
  createRenderRoot() {
    return this;
  }
}

/** A performance mark when a page first shows its data (read by the browser benchmark in e2e). */
export function markRendered(page) {
  performance.mark(`keisei:rendered:${page}`);
}
