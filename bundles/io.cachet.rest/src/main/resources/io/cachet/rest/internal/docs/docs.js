'use strict';
// Lists the operations of openapi.json (beside this page). Builds the page with DOM calls only: nothing from the
// description is ever parsed as HTML.
(function () {
  function el(tag, attrs, children) {
    const e = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
    (children || []).forEach(c => e.append(c instanceof Node ? c : document.createTextNode(String(c))));
    return e;
  }

  function resolve(doc, schema) {
    let s = schema;
    for (let i = 0; s && s.$ref && i < 10; i++) {
      s = doc.components.schemas[s.$ref.split('/').pop()];
    }
    return s || {};
  }

  function example(doc, schema, depth) {
    const s = resolve(doc, schema);
    if (depth > 5) return null;
    if (s.example !== undefined) return s.example;
    switch (s.type) {
      case 'object': {
        const o = {};
        Object.entries(s.properties || {}).forEach(([k, v]) => { o[k] = example(doc, v, depth + 1); });
        return o;
      }
      case 'array': return [example(doc, s.items || {}, depth + 1)];
      case 'integer': case 'number': return 0;
      case 'boolean': return false;
      case 'string': return s.enum ? s.enum[0] : (s.format || 'string');
      default: return s.properties ? example(doc, Object.assign({ type: 'object' }, s), depth) : null;
    }
  }

  function content(doc, c) {
    if (!c) return [];
    return Object.entries(c).map(([type, media]) => el('div', {}, [
      el('div', {}, [el('code', {}, [type])]),
      el('pre', {}, [JSON.stringify(example(doc, media.schema || {}, 0), null, 2)])
    ]));
  }

  function operation(doc, path, method, op) {
    const body = [];
    if (op.description) body.push(el('p', {}, [op.description]));
    const params = op.parameters || [];
    if (params.length) {
      body.push(el('table', {}, [el('tr', {}, [el('th', {}, ['parameter']), el('th', {}, ['in']),
        el('th', {}, ['description'])])].concat(params.map(p => el('tr', {}, [
        el('td', {}, [el('code', {}, [p.name])]), el('td', {}, [p.in]), el('td', {}, [p.description || ''])])))));
    }
    if (op.requestBody) {
      body.push(el('h4', {}, ['Request body']));
      content(doc, op.requestBody.content).forEach(c => body.push(c));
    }
    body.push(el('h4', {}, ['Answers']));
    Object.entries(op.responses || {}).forEach(([code, r]) => {
      body.push(el('div', {}, [el('strong', {}, [code]), ' ', r.description || '']));
      content(doc, r.content).forEach(c => body.push(c));
    });
    if (op.security && op.security.length === 0) body.push(el('p', {}, ['Public: no API key needed.']));
    return el('details', { class: 'op' }, [
      el('summary', {}, [el('span', { class: 'method ' + method }, [method.toUpperCase()]),
        el('span', { class: 'path' }, [path]), el('span', { class: 'summary' }, [op.summary || ''])]),
      el('div', {}, body)]);
  }

  function render(doc) {
    document.getElementById('title').textContent = doc.info.title + ' ' + doc.info.version;
    document.getElementById('description').textContent = doc.info.description || '';
    const byTag = new Map();
    Object.entries(doc.paths || {}).forEach(([path, item]) => {
      ['get', 'put', 'post', 'delete', 'patch'].forEach(method => {
        const op = item[method];
        if (!op) return;
        const tag = (op.tags && op.tags[0]) || 'other';
        if (!byTag.has(tag)) byTag.set(tag, []);
        byTag.get(tag).push(operation(doc, path, method, op));
      });
    });
    const main = document.getElementById('operations');
    main.replaceChildren(...[...byTag.keys()].sort().map(tag =>
      el('section', { class: 'tag' }, [el('h2', {}, [tag])].concat(byTag.get(tag)))));
  }

  fetch('openapi.json', { headers: { Accept: 'application/json' } })
    .then(r => { if (!r.ok) throw new Error('openapi.json answered ' + r.status); return r.json(); })
    .then(render)
    .catch(e => { document.getElementById('operations').textContent = 'The description cannot be read: ' + e.message; });
}());
