// Quarry studio's page: plain DOM, no framework, no build step. Every value is put on the page
// as text (never as HTML), so data from the database cannot inject markup.
const main = document.getElementById('main')
const state = { csrf: '', readOnly: false, models: [], lastStatement: 0, flash: '' }

/** Makes an element: h('a', { href: '#/' }, 'text', child). */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag)
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value)
    else if (key === 'className') el.className = value
    else el.setAttribute(key, value === true ? '' : String(value))
  }
  for (const child of children.flat()) if (child !== null && child !== undefined && child !== false) el.append(child instanceof Node ? child : String(child))
  return el
}

async function api(method, path, body) {
  const headers = { accept: 'application/json' }
  if (method !== 'GET') headers['x-quarry-csrf'] = state.csrf
  if (body !== undefined) headers['content-type'] = 'application/json'
  const response = await fetch(`/api/${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' })
  const payload = await response.json().catch(() => ({}))
  refreshLog()
  if (!response.ok) {
    const error = new Error(payload.error?.message ?? `HTTP ${response.status}`)
    error.status = response.status
    error.fields = payload.error?.fields ?? {}
    throw error
  }
  return payload
}

async function refreshLog() {
  try {
    const response = await fetch(`/api/queries?since=${state.lastStatement}`, { credentials: 'same-origin' })
    if (!response.ok) return
    const { statements } = await response.json()
    const list = document.getElementById('statements')
    for (const s of statements) {
      state.lastStatement = Math.max(state.lastStatement, s.id)
      list.append(h('li', { className: s.error ? 'failed' : '' }, s.sql, h('span', { className: 'ms' }, `${s.durationMs} ms`), s.error ? ` — ${s.error}` : ''))
    }
    while (list.children.length > 200) list.firstChild.remove()
    const log = document.getElementById('log')
    log.scrollTop = log.scrollHeight
  } catch { /* the log is a convenience */ }
}

function modelNamed(name) {
  const model = state.models.find((m) => m.name === name)
  if (!model) throw new Error(`No model named ${name}`)
  return model
}

function cell(column, value) {
  if (column.masked && value !== null) return h('td', { className: 'masked', title: 'hidden' }, '••••••')
  if (value === null || value === undefined) return h('td', { className: 'null' }, 'null')
  if (column.kind === 'json' || typeof value === 'object') {
    const text = JSON.stringify(value, null, 2)
    return h('td', {}, h('details', {}, h('summary', {}, Array.isArray(value) ? `[${value.length}]` : '{…}'), h('pre', {}, text)))
  }
  // A calendar day shows as one, not as the midnight-UTC timestamp it travels as.
  const text = column.kind === 'date' ? String(value).slice(0, 10) : String(value)
  return h('td', { title: String(value) }, text)
}

// ---- routes ----------------------------------------------------------------------------

function parseHash() {
  const [path, query = ''] = location.hash.replace(/^#/, '').split('?')
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(query) }
}

async function route() {
  const { parts, params } = parseHash()
  for (const a of document.querySelectorAll('#models a')) a.classList.toggle('current', a.dataset.model === parts[1])
  try {
    if (parts[0] === 'm' && parts.length === 2) return await showRows(modelNamed(parts[1]), params)
    if (parts[0] === 'm' && parts[2] === 'new') return showForm(modelNamed(parts[1]), null, null)
    if (parts[0] === 'm' && parts[2] === 'r') return await showRow(modelNamed(parts[1]), parts[3], params)
    return showModels()
  } catch (error) {
    main.replaceChildren(h('p', { className: 'error', 'data-testid': 'error' }, error.message))
  }
}

async function showModels() {
  const { models } = await api('GET', 'models')
  state.models = models
  main.replaceChildren(
    h('h1', {}, 'Models'),
    h('table', { 'data-testid': 'models' },
      h('tr', {}, h('th', {}, 'Model'), h('th', {}, 'Table'), h('th', {}, 'Rows')),
      models.map((m) => h('tr', { className: 'row', onclick: () => { location.hash = `#/m/${encodeURIComponent(m.name)}` } },
        h('td', {}, h('a', { href: `#/m/${encodeURIComponent(m.name)}` }, m.name)), h('td', {}, m.table), h('td', { 'data-testid': `count-${m.name}` }, m.count ?? '?')))),
  )
}

function rowsHash(model, params) {
  const q = params.toString()
  return `#/m/${encodeURIComponent(model.name)}${q ? `?${q}` : ''}`
}

async function showRows(model, params) {
  const query = new URLSearchParams()
  for (const key of ['page', 'perPage', 'sort', 'direction', 'filters']) if (params.get(key)) query.set(key, params.get(key))
  const result = await api('GET', `models/${encodeURIComponent(model.name)}/rows?${query}`)
  const filters = params.get('filters') ? JSON.parse(params.get('filters')) : []
  const sort = params.get('sort')
  const direction = params.get('direction') === 'desc' ? 'desc' : 'asc'
  const go = (changes) => {
    const next = new URLSearchParams(params)
    for (const [k, v] of Object.entries(changes)) if (v === null) next.delete(k); else next.set(k, v)
    location.hash = rowsHash(model, next)
  }
  const head = h('tr', {}, model.columns.map((c) => h('th', {},
    h('button', { type: 'button', className: 'sort', 'data-testid': `sort-${c.property}`, onclick: () => go({ sort: c.property, direction: sort === c.property && direction === 'asc' ? 'desc' : 'asc', page: null }) },
      c.property, sort === c.property ? (direction === 'asc' ? ' ▲' : ' ▼') : ''))))
  const filterRow = h('tr', { className: 'filters' }, model.columns.map((c) => h('td', {}, filterControl(c, filters))))
  const lines = result.rows.map((row, i) => h('tr', { className: 'row', 'data-testid': 'row', onclick: () => {
    if (result.keys[i] !== null) location.hash = `#/m/${encodeURIComponent(model.name)}/r/${encodeURIComponent(result.keys[i])}`
  } }, model.columns.map((c) => cell(c, row[c.property]))))
  const applyFilters = () => {
    const chosen = []
    for (const control of main.querySelectorAll('[data-filter]')) {
      const column = control.dataset.filter
      const op = control.querySelector('select').value
      const [a, b] = [...control.querySelectorAll('input')].map((i) => i.value)
      if (op === 'range' || (op === '' && control.querySelectorAll('input').length === 2)) {
        if (a) chosen.push({ column, op: 'gte', value: a })
        if (b) chosen.push({ column, op: 'lte', value: b })
      } else if (op === 'null' || op === 'notNull') chosen.push({ column, op })
      else if (op && a !== '') chosen.push({ column, op, value: a })
    }
    go({ filters: chosen.length ? JSON.stringify(chosen) : null, page: null })
  }
  const pages = result.total === null ? null : Math.max(1, Math.ceil(result.total / result.perPage))
  main.replaceChildren(
    h('h1', {}, model.name, h('span', { className: 'muted' }, ` · ${model.table}`)),
    h('div', { className: 'actions' },
      h('button', { type: 'button', 'data-testid': 'apply-filters', onclick: applyFilters }, 'Apply filters'),
      h('button', { type: 'button', onclick: () => go({ filters: null, page: null }) }, 'Clear filters'),
      state.readOnly ? null : h('a', { className: 'button', href: `#/m/${encodeURIComponent(model.name)}/new`, 'data-testid': 'new-row' }, `New ${model.name}`)),
    h('div', { className: 'pager' },
      h('button', { type: 'button', disabled: result.page <= 1, 'data-testid': 'prev', onclick: () => go({ page: String(result.page - 1) }) }, '‹ Previous'),
      h('span', { 'data-testid': 'page-info' }, `Page ${result.page}${pages ? ` of ${pages}` : ''}${result.total !== null ? ` · ${result.total} rows` : ''}`),
      h('button', { type: 'button', disabled: !result.hasMore, 'data-testid': 'next', onclick: () => go({ page: String(result.page + 1) }) }, 'Next ›')),
    h('table', { 'data-testid': 'rows' }, head, filterRow, lines),
  )
}

function filterControl(column, filters) {
  const mine = filters.filter((f) => f.column === column.property)
  const ops = [['', '—'], ['eq', '=']]
  if (column.kind === 'text') ops.push(['contains', 'contains'])
  if (['number', 'date', 'dateTime'].includes(column.kind)) ops.push(['range', 'range'])
  ops.push(['null', 'is null'], ['notNull', 'not null'])
  if (column.masked) ops.splice(1, ops.length - 3)
  let op = mine[0]?.op ?? ''
  if (op === 'gte' || op === 'lte') op = 'range'
  const select = h('select', { 'aria-label': `filter ${column.property}`, 'data-testid': `filter-op-${column.property}` }, ops.map(([value, label]) => h('option', { value, selected: value === op }, label)))
  const type = column.kind === 'number' ? 'number' : column.kind === 'date' ? 'date' : 'text'
  const inputs = op === 'range' || (['number', 'date', 'dateTime'].includes(column.kind) && op === '')
    ? [h('input', { className: 'range', type, placeholder: 'from', 'data-testid': `filter-from-${column.property}`, value: mine.find((f) => f.op === 'gte')?.value ?? '' }),
       h('input', { className: 'range', type, placeholder: 'to', 'data-testid': `filter-to-${column.property}`, value: mine.find((f) => f.op === 'lte')?.value ?? '' })]
    : column.masked ? [] : [h('input', { type: column.kind === 'boolean' ? 'text' : type, placeholder: column.kind === 'boolean' ? 'true/false' : '', 'data-testid': `filter-value-${column.property}`, value: mine[0]?.value ?? '' })]
  select.addEventListener('change', () => {
    const wrap = select.parentElement
    const rest = filterControl(column, [{ column: column.property, op: select.value === 'range' ? 'gte' : select.value, value: '' }])
    wrap.replaceWith(rest)
  })
  return h('span', { 'data-filter': column.property }, select, inputs)
}

async function showRow(model, key, params) {
  const result = await api('GET', `models/${encodeURIComponent(model.name)}/rows/${encodeURIComponent(key)}`)
  const relations = model.relations.map((relation) => {
    const value = result.relations[relation.name]
    const title = h('h2', {}, `${relation.name} `, h('span', { className: 'muted' }, `(${relation.kind})`))
    if (value?.error) return h('section', {}, title, h('p', { className: 'error' }, value.error))
    if (!relation.many) {
      if (!value || value.key === null || value.key === undefined) return h('section', {}, title, h('p', { className: 'muted' }, 'none'))
      return h('section', {}, title, h('a', { href: `#/m/${encodeURIComponent(value.model)}/r/${encodeURIComponent(value.key)}`, 'data-testid': `relation-${relation.name}` }, `${value.model} #${value.key}`))
    }
    return h('section', { 'data-testid': `relation-${relation.name}` }, title, relatedTable(model, key, relation, value))
  })
  const flash = state.flash
  state.flash = ''
  main.replaceChildren(
    h('h1', {}, h('a', { href: `#/m/${encodeURIComponent(model.name)}` }, model.name), ` #${result.key}`),
    flash ? h('p', { className: 'flash', 'data-testid': 'flash' }, flash) : null,
    state.readOnly ? detailTable(model, result.row) : recordForm(model, result.row, result.key),
    ...relations,
  )
  void params
}

function detailTable(model, row) {
  return h('table', { 'data-testid': 'record' }, model.columns.map((c) => h('tr', {}, h('th', {}, c.property), cell(c, row[c.property]))))
}

function relatedTable(model, key, relation, page) {
  const target = modelNamed(page.model)
  const holder = h('div', {})
  const render = (data) => {
    const pages = Math.max(1, Math.ceil((data.total ?? 0) / data.perPage))
    holder.replaceChildren(
      h('table', {}, h('tr', {}, target.columns.map((c) => h('th', {}, c.property))),
        data.rows.map((row, i) => h('tr', { className: 'row', onclick: () => { location.hash = `#/m/${encodeURIComponent(target.name)}/r/${encodeURIComponent(data.keys[i])}` } }, target.columns.map((c) => cell(c, row[c.property]))))),
      h('div', { className: 'pager' },
        h('button', { type: 'button', disabled: data.page <= 1, onclick: () => load(data.page - 1) }, '‹'),
        h('span', {}, `Page ${data.page} of ${pages} · ${data.total} rows`),
        h('button', { type: 'button', disabled: !data.hasMore, onclick: () => load(data.page + 1) }, '›')))
  }
  const load = async (n) => render(await api('GET', `models/${encodeURIComponent(model.name)}/rows/${encodeURIComponent(key)}/relations/${encodeURIComponent(relation.name)}?page=${n}`))
  render(page)
  return holder
}

function showForm(model, row, key) {
  main.replaceChildren(h('h1', {}, h('a', { href: `#/m/${encodeURIComponent(model.name)}` }, model.name), ' · new'), recordForm(model, row, key))
}

function inputFor(column, value) {
  const common = { name: column.property, id: `field-${column.property}`, 'data-testid': `field-${column.property}` }
  if (column.kind === 'json') return h('textarea', common, value === null || value === undefined ? '' : JSON.stringify(value, null, 2))
  if (column.kind === 'boolean') {
    return h('select', common, h('option', { value: '', selected: value === null || value === undefined }, column.nullable ? 'null' : '—'),
      h('option', { value: 'true', selected: value === true }, 'true'), h('option', { value: 'false', selected: value === false }, 'false'))
  }
  const type = column.kind === 'number' ? 'number' : column.kind === 'date' ? 'date' : 'text'
  const shown = column.masked ? '' : column.kind === 'date' && value ? String(value).slice(0, 10) : value ?? ''
  return h('input', { ...common, type, step: column.kind === 'number' ? 'any' : undefined, value: shown, placeholder: column.masked ? '(hidden: type to replace)' : column.nullable ? 'null' : '' })
}

function recordForm(model, row, key) {
  const editable = model.columns.filter((c) => !c.generated || (key === null && c.primary && !c.generated))
  const readonly = model.columns.filter((c) => !editable.includes(c))
  const form = h('form', { className: 'record', 'data-testid': 'record-form' })
  for (const c of readonly) if (row) form.append(h('label', {}, c.property), h('span', { 'data-testid': `value-${c.property}` }, c.masked ? '••••••' : row[c.property] ?? 'null'), h('span'))
  for (const c of editable) {
    form.append(h('label', { for: `field-${c.property}` }, c.property, h('span', { className: 'muted' }, ` ${c.kind}`)), inputFor(c, row?.[c.property]), h('span', { className: 'field-error', 'data-error': c.property, 'data-testid': `error-${c.property}` }))
  }
  const message = h('p', { className: 'error', 'data-testid': 'form-error' })
  const submit = async (event) => {
    event.preventDefault()
    for (const el of form.querySelectorAll('[data-error]')) el.textContent = ''
    message.textContent = ''
    const values = {}
    for (const c of editable) {
      const el = form.elements.namedItem(c.property)
      const raw = el.value
      const before = row?.[c.property]
      if (c.masked && raw === '') continue
      let value
      if (raw === '' && (c.nullable || c.kind !== 'text')) value = null
      else if (c.kind === 'json') {
        try { value = JSON.parse(raw) } catch { form.querySelector(`[data-error="${c.property}"]`).textContent = 'not valid JSON'; return }
      } else if (c.kind === 'boolean') value = raw === 'true'
      else if (c.kind === 'number') value = Number(raw)
      else value = raw
      if (row && JSON.stringify(value) === JSON.stringify(before ?? null)) continue
      values[c.property] = value
    }
    try {
      const saved = key === null
        ? await api('POST', `models/${encodeURIComponent(model.name)}/rows`, { values })
        : await api('PATCH', `models/${encodeURIComponent(model.name)}/rows/${encodeURIComponent(key)}`, { values })
      state.flash = key === null ? `Created ${model.name} #${saved.key}` : 'Saved'
      location.hash = `#/m/${encodeURIComponent(model.name)}/r/${encodeURIComponent(saved.key)}`
      if (key !== null) route()
    } catch (error) {
      message.textContent = error.message
      for (const [field, text] of Object.entries(error.fields ?? {})) {
        const slot = form.querySelector(`[data-error="${field}"]`)
        if (slot) slot.textContent = text
      }
    }
  }
  const remove = async () => {
    if (!confirm(`Delete ${model.name} #${key}?`)) return
    try {
      await api('DELETE', `models/${encodeURIComponent(model.name)}/rows/${encodeURIComponent(key)}`)
      location.hash = `#/m/${encodeURIComponent(model.name)}`
    } catch (error) {
      message.textContent = error.message
    }
  }
  form.addEventListener('submit', submit)
  form.append(message, h('div', { className: 'actions' },
    h('button', { type: 'submit', className: 'primary', 'data-testid': 'save' }, key === null ? 'Create' : 'Save'),
    key === null ? null : h('button', { type: 'button', className: 'danger', 'data-testid': 'delete', onclick: remove }, 'Delete')))
  return form
}

async function start() {
  try {
    const session = await api('GET', 'session')
    state.csrf = session.csrf
    state.readOnly = session.readOnly
    document.getElementById('mode').textContent = session.readOnly ? 'read-only' : ''
    const { models } = await api('GET', 'models')
    state.models = models
    document.getElementById('models').replaceChildren(...models.map((m) => h('a', { href: `#/m/${encodeURIComponent(m.name)}`, 'data-model': m.name }, m.name)))
  } catch (error) {
    main.replaceChildren(h('p', { className: 'error', 'data-testid': 'error' }, error.message))
    return
  }
  document.getElementById('clear-log').addEventListener('click', () => document.getElementById('statements').replaceChildren())
  window.addEventListener('hashchange', route)
  route()
}

start()
