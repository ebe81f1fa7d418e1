// The cluster dashboard: polls the node that served this page for the cluster's state (every
// member is asked by that node, over the event bus) and listens to cluster.events and
// supervisor.events through the SockJS event bus bridge. Plain browser JavaScript, no build step.
'use strict';

// short next to failure detection (~1 s after kill -9, ~5 s for a silent node), light on the nodes
const POLL_MS = 2000;
// the newest events are what an operator reads; older ones scroll away
const MAX_EVENTS = 200;

const state = {
  crash: false,        // whether this node takes crash requests (--dashboard-crash)
  names: {},           // node id -> name, of every member seen, so that events of a lost node read well
  members: [],
  treeNode: null,      // the node id whose tree is shown
  refreshing: false,
  again: false,
};

// ---- small helpers ----

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([key, value]) => {
    if (key === 'onclick') {
      node.addEventListener('click', value);
    } else if (value !== undefined && value !== null) {
      node.setAttribute(key, value);
    }
  });
  children.flat().forEach(child => node.append(child instanceof Node ? child : String(child)));
  return node;
}

function $(id) {
  return document.getElementById(id);
}

async function getJson(path) {
  const response = await fetch(path, { cache: 'no-store' });
  const body = await response.json();
  if (!response.ok) {
    throw new Error(body.error || response.status);
  }
  return body;
}

function uptime(ms) {
  if (ms === undefined || ms === null) return '?';
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h ${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m ${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

function mib(bytes) {
  return bytes === undefined || bytes === null || bytes < 0 ? '?' : `${Math.round(bytes / 1048576)} MiB`;
}

function nameOf(nodeId) {
  return state.names[nodeId] || nodeId;
}

// ---- the cluster: members ----

function renderCluster(view) {
  $('served-by').textContent = view.node;
  $('partition').textContent = view.partition;
  $('partition').className = view.partition === 'majority' ? 'up' : 'down';
  // settling: the store reconciles copies after a merge or a coordinator change; nothing is served meanwhile
  const settling = view.settling;
  $('settling').textContent = settling
    ? `settling (${settling.why}, ${Math.round(settling.forMs / 1000)} s` +
      (settling.failedAttempts ? `, ${settling.failedAttempts} failed: ${settling.lastError}` : '') + ')'
    : 'settled';
  $('settling').className = settling ? 'down' : 'up';
  state.members = view.members.slice().sort((a, b) => a.name.localeCompare(b.name));
  view.members.forEach(m => { state.names[m.nodeId] = m.name; });
  $('member-count').textContent = state.members.length;
  $('members').replaceChildren(...state.members.map(m => {
    const jvm = m.jvm || {};
    return el('tr', {
      'data-node': m.name,
      class: m.nodeId === state.treeNode ? 'chosen' : '',
      onclick: () => chooseTreeNode(m.nodeId),
    },
    el('td', {}, m.name), el('td', {}, m.role || '?'), el('td', {}, m.http || '?'),
    el('td', {}, uptime(jvm.uptimeMs)), el('td', {}, `${mib(jvm.heapUsed)} / ${mib(jvm.heapMax)}`),
    el('td', { class: 'num' }, m.processes === null || m.processes === undefined ? '?' : m.processes));
  }));
  if (!state.members.some(m => m.nodeId === state.treeNode)) {
    const self = state.members.find(m => m.name === view.node) || state.members[0];
    state.treeNode = self ? self.nodeId : null;
  }
  $('tree-node').replaceChildren(...state.members.map(m =>
    el('option', { value: m.nodeId, selected: m.nodeId === state.treeNode ? '' : null }, m.name)));
}

function chooseTreeNode(nodeId) {
  state.treeNode = nodeId;
  refreshSoon();
}

// ---- the supervision tree of one node ----

function renderTree(answer) {
  $('tree').replaceChildren(el('ul', { class: 'tree' }, supervisorItem(answer.tree)));
}

function supervisorItem(tree) {
  const title = el('span', { class: 'supervisor' }, tree.name,
    el('span', { class: 'strategy' }, tree.strategy + (tree.dynamic ? ', dynamic' : '')));
  const children = tree.children.map(child => {
    const label = [el('span', { class: child.running ? 'up' : 'down' }, child.running ? '●' : '○'), ' ',
      el('span', { class: 'child-id' }, child.id), ' ',
      el('span', { class: 'meta' }, `${child.restart}, restarts ${child.restarts}`)];
    return el('li', { 'data-child': child.id }, label, child.tree ? el('ul', {}, supervisorItem(child.tree)) : '');
  });
  if (tree.dynamic && tree.count && tree.count.specs > tree.children.length) {
    children.push(el('li', { class: 'hint' }, `... and ${tree.count.specs - tree.children.length} more`));
  }
  const count = tree.count ? el('span', { class: 'meta' }, ` ${tree.count.active} running`) : '';
  return el('li', {}, title, count, el('ul', {}, children));
}

// ---- the processes and where they run ----

function renderProcesses(answer) {
  const rows = [];
  let total = 0;
  answer.nodes.forEach(node => {
    total += node.count;
    node.lists.forEach(list => rows.push(el('tr', { 'data-list': list, 'data-node': node.node },
      el('td', {}, list), el('td', {}, node.node),
      el('td', {}, state.crash ? el('button', { onclick: () => crash(list) }, 'crash') : ''))));
    if (node.count > node.lists.length) {
      rows.push(el('tr', { class: 'hint' }, el('td', { colspan: 3 }, `... and ${node.count - node.lists.length} more on ${node.node}`)));
    }
  });
  rows.sort((a, b) => (a.dataset.list || '~').localeCompare(b.dataset.list || '~'));
  $('process-count').textContent = total;
  $('processes').replaceChildren(...rows);
}

async function crash(list) {
  try {
    const response = await fetch(`/api/lists/${encodeURIComponent(list)}/crash`, { method: 'POST' });
    const body = await response.json();
    addEvent('dashboard', response.ok ? `crashed ${list} on ${body.node}` : `crash of ${list} refused: ${body.error}`);
  } catch (error) {
    addEvent('dashboard', `crash of ${list} failed: ${error.message}`);
  }
  refreshSoon();
}

// ---- polling: one refresh at a time, again at once when an event says something changed ----

async function refresh() {
  if (state.refreshing) {
    state.again = true;
    return;
  }
  state.refreshing = true;
  try {
    renderCluster(await getJson('/api/cluster'));
    const [processes, tree] = await Promise.allSettled([
      getJson('/api/processes'),
      state.treeNode ? getJson(`/api/nodes/${encodeURIComponent(state.treeNode)}/tree`) : Promise.reject(new Error('no node')),
    ]);
    if (processes.status === 'fulfilled') renderProcesses(processes.value);
    if (tree.status === 'fulfilled') renderTree(tree.value);
    $('refreshed').textContent = `refreshed ${new Date().toLocaleTimeString()}`;
    $('refreshed').className = '';
  } catch (error) {
    $('refreshed').textContent = `refresh failed: ${error.message}`;
    $('refreshed').className = 'down';
  } finally {
    state.refreshing = false;
    if (state.again) {
      state.again = false;
      refresh();
    }
  }
}

let soon = null;
function refreshSoon() {
  clearTimeout(soon);
  soon = setTimeout(refresh, 150);
}

// ---- the event stream ----

function describeClusterEvent(e) {
  switch (e.type) {
    case 'joined': return `${nameOf(e.node)} joined (${e.members.length} members, ${e.partition})`;
    case 'left': return `${nameOf(e.node)} left (${e.members.length} members, ${e.partition})`;
    case 'processes-moved': return `${e.reason}: ${e.processes} processes to ${nameOf(e.node)} in ${e.ms} ms`;
    default: return JSON.stringify(e);
  }
}

function describeSupervisorEvent(e) {
  const child = e.child ? ` ${e.child}` : '';
  const details = e.restarts !== undefined ? ` (restarts ${e.restarts})` : e.reason ? ` (${e.reason})` : '';
  return `${e.supervisor}: ${e.event}${child}${details}`;
}

// every member publishes what it saw: a node that left is reported once by each survivor
const recentMembership = new Map();
function repeated(e) {
  if (e.type !== 'joined' && e.type !== 'left') return false;
  const key = `${e.type} ${e.node} ${e.members.length}`;
  const now = Date.now();
  const seen = recentMembership.get(key);
  recentMembership.set(key, now);
  return seen !== undefined && now - seen < 10000;
}

function addEvent(source, text, at) {
  const time = new Date(at || Date.now()).toLocaleTimeString();
  $('events').prepend(el('li', { class: `from-${source}` }, el('time', {}, time), el('span', { class: 'source' }, source), text));
  while ($('events').children.length > MAX_EVENTS) {
    $('events').lastChild.remove();
  }
}

function connectEvents() {
  const bus = new EventBus('/eventbus');
  bus.enableReconnect(true);
  bus.onopen = () => {
    $('bus-state').textContent = 'live';
    $('bus-state').className = 'up';
    // handlers are registered again on every (re)connection: the bridge forgets them on close
    bus.registerHandler('cluster.events', (error, message) => {
      if (!error && !repeated(message.body)) {
        addEvent('cluster', describeClusterEvent(message.body), message.body.at);
        refreshSoon();
      }
    });
    bus.registerHandler('supervisor.events', (error, message) => {
      if (!error) {
        addEvent('supervisor', describeSupervisorEvent(message.body), message.body.at);
        refreshSoon();
      }
    });
  };
  bus.onclose = () => {
    $('bus-state').textContent = 'reconnecting';
    $('bus-state').className = 'down';
  };
}

// ---- start ----

$('tree-node').addEventListener('change', event => chooseTreeNode(event.target.value));
getJson('/api/dashboard')
  .then(settings => {
    state.crash = settings.crash;
    $('crash-note').textContent = settings.crash
      ? 'crash sends the list\'s process the crash command: watch its supervisor restart it'
      : 'crash requests are off on this node (--dashboard-crash)';
  })
  .catch(() => {})
  .finally(() => {
    connectEvents();
    refresh();
    setInterval(refresh, POLL_MS);
  });
