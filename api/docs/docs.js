// Steward API reference: renders the server's own /openapi.json.
//
// Served from files bundled into the binary (government networks are often isolated, so no CDN)
// under a Content-Security-Policy that allows no inline script and no eval: the page is built with
// DOM calls only — never from HTML strings — and events are bound with addEventListener.
(function () {
  'use strict';

  const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'trace'];
  const IN_LABEL = { path: '路径 path', query: '查询 query', header: '请求头 header', cookie: 'Cookie' };
  const MAX_DEPTH = 6; // nested fields deeper than this are named, not expanded

  let spec = {};
  let operations = []; // {method, path, op, id, tag, section, haystack}
  let tagGroups = []; // {name, section, navItem, counts, ops}

  // ---- DOM helpers -----------------------------------------------------------------------------

  // h builds an element: props are attributes (className and text are special; true is a bare
  // attribute, null/false are left out); children are nodes, strings or arrays of them.
  function h(tag, props, ...children) {
    const node = document.createElement(tag);
    if (props) {
      for (const k of Object.keys(props)) {
        const v = props[k];
        if (v === null || v === undefined || v === false) continue;
        if (k === 'className') node.className = v;
        else if (k === 'text') node.textContent = v;
        else node.setAttribute(k, v === true ? '' : String(v));
      }
    }
    append(node, children);
    return node;
  }

  function append(node, c) {
    if (c === null || c === undefined || c === false) return;
    if (Array.isArray(c)) {
      c.forEach((x) => append(node, x));
      return;
    }
    node.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }

  // inline renders a line of text with `backtick` spans as code.
  function inline(text) {
    return String(text).split('`').map((part, i) => (i % 2 ? h('code', null, part) : part));
  }

  // rich renders text whose blank lines separate paragraphs.
  function rich(text, className) {
    if (!text) return null;
    return h('div', { className: className || 'desc' },
      String(text).split(/\n\s*\n/).map((p) => h('p', null, inline(p.trim()))));
  }

  function table(className, headers, rows) {
    return h('div', { className: 'table-wrap' },
      h('table', { className },
        h('thead', null, h('tr', null, headers.map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, rows)));
  }

  // lazyDetails renders its body the first time it is opened: most error responses share one
  // Problem schema, and few readers open them.
  function lazyDetails(className, open, summary, build) {
    const d = h('details', { className, open }, h('summary', null, summary));
    let built = false;
    const fill = () => {
      if (!built) {
        built = true;
        append(d, build());
      }
    };
    if (open) fill();
    else d.addEventListener('toggle', fill);
    return d;
  }

  // ---- OpenAPI helpers ---------------------------------------------------------------------------

  // lookup follows a local JSON pointer (#/components/schemas/X) into the document.
  function lookup(ref) {
    if (typeof ref !== 'string' || ref.charAt(0) !== '#') return undefined;
    let node = spec;
    for (const raw of ref.slice(2).split('/')) {
      const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      if (node === null || typeof node !== 'object' || !(key in node)) return undefined;
      node = node[key];
    }
    return node;
  }

  function refName(ref) {
    return String(ref).split('/').pop();
  }

  // deref resolves $refs (of parameters, responses, request bodies, schemas) to the object they
  // point at, and names the last one.
  function deref(obj) {
    let name = null;
    for (let guard = 0; obj && obj.$ref && guard < 32; guard++) {
      name = refName(obj.$ref);
      const target = lookup(obj.$ref);
      if (target === undefined) return { value: {}, name, missing: true };
      obj = target;
    }
    return { value: obj || {}, name };
  }

  function typesOf(s) {
    if (Array.isArray(s.type)) return s.type;
    return s.type ? [s.type] : [];
  }

  function nullable(s) {
    return typesOf(s).indexOf('null') >= 0 || s.nullable === true;
  }

  function isObject(s) {
    return !!s.properties || typesOf(s).indexOf('object') >= 0;
  }

  function isArray(s) {
    return typesOf(s).indexOf('array') >= 0 || (!s.type && !!s.items);
  }

  // typeLabel names a schema's type as a Go reader expects it: []T for arrays, the component's
  // name for objects, map[string]T for maps. Null is left to the "nullable" mark.
  function typeLabel(schema, depth) {
    depth = depth || 0;
    if (!schema || depth > 10) return 'any';
    if (schema.$ref) {
      const r = deref(schema);
      if (r.missing) return r.name;
      if (isObject(r.value) && !isMap(r.value)) return r.name;
      return typeLabel(r.value, depth + 1);
    }
    const alts = schema.oneOf || schema.anyOf;
    if (alts) {
      return alts.filter((a) => typesOf(a).join() !== 'null')
        .map((a) => typeLabel(a, depth + 1)).join(' | ');
    }
    if (schema.allOf && schema.allOf.length === 1) return typeLabel(schema.allOf[0], depth + 1);
    const types = typesOf(schema).filter((t) => t !== 'null');
    if (types.length > 1) return types.join(' | ');
    if (isArray(schema)) return '[]' + typeLabel(schema.items || {}, depth + 1);
    if (isMap(schema)) return 'map[string]' + typeLabel(schema.additionalProperties, depth + 1);
    if (types.length === 1) return types[0];
    return schema.properties ? 'object' : 'any';
  }

  function isMap(s) {
    return isObject(s) && !s.properties && s.additionalProperties !== null &&
      typeof s.additionalProperties === 'object';
  }

  // facets are what a type does not say: format, enum, default, limits, nullability.
  function facets(schema) {
    let s = deref(schema).value;
    const out = [];
    if (nullable(s)) out.push(h('span', { className: 'facet' }, '可空 (nullable)'));
    if (isArray(s) && s.items) {
      if (s.minItems !== undefined || s.maxItems !== undefined) {
        out.push(h('span', { className: 'facet' }, '项数 (items) ' + range(s.minItems, s.maxItems)));
      }
      s = deref(s.items).value; // a list of enum values: show the values
    }
    if (s.format) out.push(h('span', { className: 'facet' }, 'format: ', h('code', null, s.format)));
    if (s.contentMediaType && s.format !== 'binary') {
      out.push(h('span', { className: 'facet' }, h('code', null, s.contentMediaType)));
    }
    if (s.minLength !== undefined || s.maxLength !== undefined) {
      out.push(h('span', { className: 'facet' }, '长度 (length) ' + range(s.minLength, s.maxLength)));
    }
    if (s.minimum !== undefined || s.maximum !== undefined) {
      out.push(h('span', { className: 'facet' }, '取值 (range) ' + range(s.minimum, s.maximum)));
    }
    if (s.pattern) out.push(h('span', { className: 'facet' }, 'pattern: ', h('code', null, s.pattern)));
    if (s.default !== undefined) {
      out.push(h('span', { className: 'facet' }, '默认 (default) ', h('code', null, JSON.stringify(s.default))));
    }
    if (Array.isArray(s.enum)) {
      out.push(h('span', { className: 'enum' }, '可选值 (enum): ',
        s.enum.map((v) => h('code', null, typeof v === 'string' ? v : JSON.stringify(v)))));
    }
    return out;
  }

  function range(min, max) {
    if (min !== undefined && max !== undefined) return min + '–' + max;
    if (min !== undefined) return '≥ ' + min;
    return '≤ ' + max;
  }

  function typeCell(schema) {
    return h('td', { className: 'type' }, h('code', null, typeLabel(schema)), facets(schema));
  }

  function descCell(schema, extra) {
    const s = deref(schema).value;
    const desc = (schema && schema.description) || s.description;
    const ex = Array.isArray(s.examples) ? s.examples[0] : s.example;
    return h('td', { className: 'desc-cell' },
      extra ? inline(extra) : null,
      desc && !extra ? inline(desc) : null,
      ex !== undefined ? h('span', { className: 'example' }, '示例 (e.g.) ',
        h('code', null, typeof ex === 'string' ? ex : JSON.stringify(ex))) : null);
  }

  // nestedObject is the object whose fields belong under a field: the field itself, the items
  // of a list, or the values of a map.
  function nestedObject(schema, depth) {
    if (!schema || depth > 4) return null;
    const r = deref(schema);
    const s = r.value;
    if (s.properties && Object.keys(s.properties).length) return { schema: s, name: r.name };
    if (isArray(s) && s.items) return nestedObject(s.items, depth + 1);
    if (isMap(s)) return nestedObject(s.additionalProperties, depth + 1);
    return null;
  }

  // fieldRows lists an object's fields, and under each the fields of the objects it holds,
  // indented. chain holds the component names being expanded, so a recursive type stops.
  function fieldRows(schema, depth, chain, rows) {
    const s = deref(schema).value;
    const props = s.properties || {};
    const required = s.required || [];
    for (const name of Object.keys(props)) {
      const p = props[name];
      const ps = deref(p).value;
      const marks = [];
      if (required.indexOf(name) >= 0) marks.push(h('span', { className: 'req', title: '必填 (required)' }, '必填'));
      if (ps.readOnly) marks.push(h('span', { className: 'tag-mark' }, '只读 (read-only)'));
      if (ps.writeOnly) marks.push(h('span', { className: 'tag-mark' }, '只写 (write-only)'));
      if (ps.deprecated || p.deprecated) marks.push(h('span', { className: 'tag-mark warn' }, '已弃用 (deprecated)'));
      rows.push(h('tr', { className: depth ? 'nested d' + Math.min(depth, MAX_DEPTH) : null },
        h('td', { className: 'field' }, depth ? h('span', { className: 'branch', 'aria-hidden': 'true' }, '└ ') : null,
          h('code', null, name), ' ', marks),
        typeCell(p), descCell(p)));
      const nested = nestedObject(p, 0);
      if (!nested) continue;
      if (nested.name && chain.indexOf(nested.name) >= 0) {
        rows.push(noteRow(depth + 1, nested.name + ' 的字段见上 (fields of ' + nested.name + ' are above: it is recursive)'));
      } else if (depth + 1 >= MAX_DEPTH) {
        rows.push(noteRow(depth + 1, '更深的字段见 ' + (nested.name || 'schema') + ' (deeper fields omitted)'));
      } else {
        fieldRows(nested.schema, depth + 1, nested.name ? chain.concat(nested.name) : chain, rows);
      }
    }
    return rows;
  }

  function noteRow(depth, text) {
    return h('tr', { className: 'nested note d' + Math.min(depth, MAX_DEPTH) }, h('td', { colspan: 3 }, text));
  }

  // schemaBlock shows a request or response body: its type, and its fields as a table.
  function schemaBlock(schema) {
    if (!schema) return null;
    const r = deref(schema);
    const s = r.value;
    const obj = nestedObject(schema, 0);
    const head = h('p', { className: 'schema-type' }, '类型 (Type): ', h('code', null, typeLabel(schema)), ' ', facets(schema));
    const desc = s.description ? rich(s.description) : null;
    if (!obj) return [head, desc];
    const rows = fieldRows(obj.schema, 0, obj.name ? [obj.name] : [], []);
    const body = rows.length ? table('fields', ['字段 (Field)', '类型 (Type)', '说明 (Description)'], rows)
      : h('p', { className: 'muted' }, '无字段 (no fields)');
    return [head, desc, body];
  }

  // byContent groups the media types of a body that share one schema, so that a download
  // offered in ten types shows its schema once.
  function byContent(content) {
    const groups = [];
    for (const type of Object.keys(content || {})) {
      const schema = content[type] && content[type].schema;
      const key = JSON.stringify(schema || null);
      const g = groups.find((x) => x.key === key);
      if (g) g.types.push(type);
      else groups.push({ key, schema, types: [type] });
    }
    return groups;
  }

  function contentBlocks(content) {
    return byContent(content).map((g) => h('div', { className: 'content' },
      h('p', { className: 'ctype' }, '内容类型 (Content type): ', g.types.map((t, i) => [i ? ', ' : '', h('code', null, t)])),
      schemaBlock(g.schema)));
  }

  // ---- operations ------------------------------------------------------------------------------------

  function methodBadge(method) {
    return h('span', { className: 'method m-' + method }, method.toUpperCase());
  }

  // needsNoLogin: the operation's own security (or the document's) is an empty list, or allows
  // an empty requirement.
  function needsNoLogin(op) {
    const sec = op.security !== undefined ? op.security : spec.security;
    if (!Array.isArray(sec)) return !sec;
    return sec.length === 0 || sec.some((req) => req && Object.keys(req).length === 0);
  }

  function parametersBlock(params) {
    if (!params.length) return null;
    const rows = params.map((raw) => {
      const p = deref(raw).value;
      let schema = p.schema;
      if (!schema && p.content) {
        const first = Object.keys(p.content)[0];
        schema = first && p.content[first].schema;
      }
      schema = schema || {};
      return h('tr', null,
        h('td', { className: 'field' }, h('code', null, p.name), ' ',
          p.required ? h('span', { className: 'req', title: '必填 (required)' }, '必填') : null,
          p.deprecated ? h('span', { className: 'tag-mark warn' }, '已弃用 (deprecated)') : null),
        h('td', { className: 'in' }, IN_LABEL[p.in] || p.in),
        typeCell(schema), descCell(schema, p.description));
    });
    return [h('h4', null, '参数 (Parameters)'),
      table('params', ['名称 (Name)', '位置 (In)', '类型 (Type)', '说明 (Description)'], rows)];
  }

  function requestBodyBlock(rb) {
    if (!rb) return null;
    const body = deref(rb).value;
    return [h('h4', null, '请求体 (Request body) ',
      body.required ? h('span', { className: 'req', title: '必填 (required)' }, '必填') : null),
    rich(body.description), contentBlocks(body.content)];
  }

  function statusClass(status) {
    const c = String(status).charAt(0);
    return 'status s' + ('12345'.indexOf(c) >= 0 ? c : 'x');
  }

  function responsesBlock(responses) {
    const codes = Object.keys(responses || {}).sort();
    if (!codes.length) return null;
    return [h('h4', null, '响应 (Responses)'), h('div', { className: 'responses' }, codes.map((code) => {
      const resp = deref(responses[code]).value;
      const groups = byContent(resp.content);
      const headers = resp.headers ? Object.keys(resp.headers) : [];
      const summary = [h('span', { className: statusClass(code) }, code), ' ',
        h('span', { className: 'resp-desc' }, inline(resp.description || '')),
        groups.length && groups[0].schema ? h('code', { className: 'resp-type' }, typeLabel(groups[0].schema)) : null];
      if (!groups.length && !headers.length) return h('div', { className: 'resp plain' }, summary);
      return lazyDetails('resp', code.charAt(0) === '2', summary, () => [
        headers.length ? [h('p', { className: 'sub' }, '响应头 (Headers)'),
          table('params', ['名称 (Name)', '类型 (Type)', '说明 (Description)'], headers.map((name) => {
            const hd = deref(resp.headers[name]).value;
            const schema = hd.schema || {};
            return h('tr', null, h('td', { className: 'field' }, h('code', null, name)), typeCell(schema),
              descCell(schema, hd.description));
          }))] : null,
        contentBlocks(resp.content)]);
    }))];
  }

  function operationSection(entry) {
    const op = entry.op;
    const id = 'op-' + entry.id;
    return h('section', { className: 'op', id, 'aria-labelledby': id + '-h' },
      h('h3', { id: id + '-h', className: 'op-head' }, methodBadge(entry.method), ' ',
        h('code', { className: 'path' }, entry.path), ' ',
        h('a', { className: 'anchor', href: '#' + id, title: '本接口的链接 (Link to this operation)' }, '#')),
      op.summary ? h('p', { className: 'summary' }, inline(op.summary)) : null,
      h('p', { className: 'meta' },
        op.operationId ? ['operationId: ', h('code', null, op.operationId)] : null,
        entry.noLogin ? h('span', { className: 'badge open' }, '无需登录 (No login)') : null,
        op.deprecated ? h('span', { className: 'badge warn' }, '已弃用 (Deprecated)') : null),
      rich(op.description),
      parametersBlock(entry.params),
      requestBodyBlock(op.requestBody),
      responsesBlock(op.responses));
  }

  // collect lists the operations, grouped by tag: the document's tags first, in its order, then
  // the rest alphabetically; within a tag by path, then method.
  function collect() {
    const list = [];
    const seen = {};
    for (const path of Object.keys(spec.paths || {})) {
      const item = deref(spec.paths[path]).value;
      for (const method of METHODS) {
        const op = item[method];
        if (!op) continue;
        let id = op.operationId || (method + path).replace(/[^A-Za-z0-9_-]+/g, '-');
        while (seen[id]) id += '-';
        seen[id] = true;
        const params = (item.parameters || []).concat(op.parameters || []);
        const tag = (op.tags && op.tags[0]) || '其他 (Other)';
        list.push({ method, path, op, id, tag, params, noLogin: needsNoLogin(op),
          haystack: [method, path, op.summary || '', op.operationId || ''].join(' ').toLowerCase() });
      }
    }
    const order = (spec.tags || []).map((t) => t.name);
    const names = Array.from(new Set(list.map((e) => e.tag))).sort((a, b) => {
      const ia = order.indexOf(a);
      const ib = order.indexOf(b);
      if (ia >= 0 || ib >= 0) return (ia < 0 ? 1e9 : ia) - (ib < 0 ? 1e9 : ib);
      return a < b ? -1 : a > b ? 1 : 0;
    });
    return names.map((name) => ({
      name,
      info: (spec.tags || []).find((t) => t.name === name) || {},
      ops: list.filter((e) => e.tag === name).sort((a, b) =>
        a.path < b.path ? -1 : a.path > b.path ? 1 : METHODS.indexOf(a.method) - METHODS.indexOf(b.method)),
    }));
  }

  function tagID(name) {
    return 'tag-' + name.replace(/\s+/g, '-');
  }

  function authBlock() {
    const schemes = (spec.components && spec.components.securitySchemes) || {};
    const names = Object.keys(schemes);
    if (!names.length) return null;
    return h('section', { className: 'intro', 'aria-labelledby': 'auth-h' },
      h('h2', { id: 'auth-h' }, '认证 (Authentication)'),
      h('p', null, '除标有「无需登录 (No login)」的接口外，每个接口都需要下列凭据之一。',
        '(Every operation needs one of these, except those marked No login.)'),
      h('ul', { className: 'schemes' }, names.map((n) => {
        const s = schemes[n];
        const how = s.type === 'apiKey' ? s.in + ' ' + s.name
          : s.type === 'http' ? 'Authorization: ' + (s.scheme === 'bearer' ? 'Bearer <token>' : s.scheme) : s.type;
        return h('li', null, h('strong', null, n), ' — ', h('code', null, how),
          s.description ? [' — ', inline(s.description)] : null);
      })));
  }

  // ---- page ----------------------------------------------------------------------------------------

  function render() {
    const info = spec.info || {};
    document.getElementById('title').textContent = info.title || 'API';
    const version = document.getElementById('version');
    if (info.version) {
      version.textContent = 'v' + String(info.version).replace(/^v/, '');
      version.hidden = false;
    }
    document.title = 'API 参考 (API reference) — ' + (info.title || 'API');
    const desc = document.getElementById('description');
    append(desc, rich(info.description));

    const groups = collect();
    const main = document.getElementById('main');
    const nav = document.getElementById('tags');
    const loading = document.getElementById('loading');
    if (loading) loading.remove();

    const fragment = document.createDocumentFragment();
    append(fragment, authBlock());
    tagGroups = groups.map((g) => {
      const id = tagID(g.name);
      const headCount = h('span', { className: 'n' }, String(g.ops.length));
      const section = h('section', { className: 'tag', id, 'aria-labelledby': id + '-h' },
        h('h2', { id: id + '-h' }, g.name, ' ', headCount),
        rich(g.info.description),
        g.ops.map((e) => {
          e.section = operationSection(e);
          operations.push(e);
          return e.section;
        }));
      fragment.appendChild(section);
      const navCount = h('span', { className: 'n' }, String(g.ops.length));
      const navItem = h('li', null, h('a', { href: '#' + id }, h('span', null, g.name), navCount));
      nav.appendChild(navItem);
      return { name: g.name, section, navItem, counts: [navCount, headCount], ops: g.ops };
    });
    fragment.appendChild(h('p', { id: 'empty', className: 'empty', hidden: true },
      '没有匹配的接口 (No operation matches)'));
    main.appendChild(fragment);
  }

  // reveal scrolls to the address's #anchor, clearing a search that hides it.
  function reveal() {
    let target = null;
    try {
      target = location.hash.length > 1 && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    } catch (err) {
      return; // a malformed %-escape names nothing
    }
    if (!target) return;
    const search = document.getElementById('search');
    if (target.closest('[hidden]') && search.value) {
      search.value = '';
      filter('');
    }
    target.scrollIntoView();
  }

  function filter(query) {
    const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const g of tagGroups) {
      let n = 0;
      for (const e of g.ops) {
        const match = terms.every((t) => e.haystack.indexOf(t) >= 0);
        e.section.hidden = !match;
        if (match) n++;
      }
      g.section.hidden = n === 0;
      g.navItem.hidden = n === 0;
      g.counts.forEach((c) => { c.textContent = String(n); });
      shown += n;
    }
    const empty = document.getElementById('empty');
    if (empty) empty.hidden = shown > 0;
    document.getElementById('count').textContent = terms.length
      ? '显示 ' + shown + ' / ' + operations.length + ' 个接口 (operations shown)'
      : '共 ' + operations.length + ' 个接口 (operations)';
  }

  function fail(err) {
    const loading = document.getElementById('loading');
    if (loading) loading.remove();
    document.getElementById('main').appendChild(h('div', { className: 'error', role: 'alert' },
      h('p', null, '无法加载 OpenAPI 文档 (Could not load the OpenAPI document): ' + err.message),
      h('p', null, h('a', { href: '/openapi.json' }, '/openapi.json'))));
  }

  async function start() {
    const search = document.getElementById('search');
    search.addEventListener('input', () => filter(search.value));
    window.addEventListener('hashchange', reveal);
    document.addEventListener('keydown', (ev) => {
      const t = ev.target;
      const typing = t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.isContentEditable);
      if (ev.key === '/' && !typing && !ev.ctrlKey && !ev.metaKey && !ev.altKey) {
        ev.preventDefault();
        search.focus();
      }
    });
    try {
      const res = await fetch('/openapi.json', { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
      if (!res.ok) throw new Error('HTTP ' + res.status);
      spec = await res.json();
    } catch (err) {
      fail(err);
      return;
    }
    try {
      render();
    } catch (err) {
      fail(err);
      throw err;
    }
    filter(search.value); // what was typed (or restored) while the document loaded
    reveal(); // the sections did not exist when the browser looked for the address's #anchor
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
