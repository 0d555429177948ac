'use strict';

// The experimenter's page. The token comes from the URL's fragment
// (/admin#token=...), which browsers never send, so it stays out of server
// and proxy logs; it travels only in the Authorization header.
(function () {
  const REFRESH_MS = 5000;

  const $ = (id) => document.getElementById(id);
  const alertBox = $('alert');
  const token = new URLSearchParams(location.hash.slice(1)).get('token');

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  async function get(path) {
    let response;
    try {
      response = await fetch(path, {
        headers: { Authorization: `Bearer ${token}` },
        cache: 'no-store',
        credentials: 'omit', // the token is the only credential this page uses
      });
    } catch (_) {
      throw new ApiError(0, 'Cannot reach the server.');
    }
    if (response.ok) return response;
    let message = `The server answered ${response.status}.`;
    try {
      const body = await response.json();
      if (body && typeof body.error === 'string' && body.error) message = body.error;
    } catch (_) { /* not JSON */ }
    throw new ApiError(response.status, message);
  }

  function cell(text, className) {
    const td = document.createElement('td');
    td.textContent = text;
    if (className) td.className = className;
    return td;
  }

  function render(data) {
    const listeners = Array.isArray(data.listeners) ? data.listeners : [];
    const rows = listeners.map((l) => {
      const tr = document.createElement('tr');
      if (!l.included) tr.className = 'excluded';
      tr.append(
        cell(String(l.id), 'number'),
        cell(l.phase),
        cell(`${l.answered} / ${l.total}`, 'number'),
        cell(l.headphones, 'number'),
        cell(l.catch, 'number'),
        cell(l.included ? 'yes' : 'no'),
        cell(l.reason || ''),
      );
      return tr;
    });
    $('listeners').replaceChildren(...rows);
    const included = listeners.filter((l) => l.included).length;
    const time = new Date().toLocaleTimeString();
    $('summary').textContent =
      `${listeners.length} listeners (${included} included), ${data.answers} answers. Updated ${time}.`;
  }

  let stopped = false;

  async function refresh() {
    try {
      render(await (await get('/admin/api/progress')).json());
      alertBox.textContent = '';
    } catch (error) {
      alertBox.textContent = error.message;
      // A refused token stays refused; polling on would only repeat the error.
      if (error.status === 401 || error.status === 403) stopped = true;
    }
    if (!stopped) setTimeout(refresh, REFRESH_MS);
  }

  async function download(button, path, filename) {
    button.disabled = true;
    try {
      const blob = await (await get(path)).blob();
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = filename;
      document.body.append(link);
      link.click();
      link.remove();
      // Revoked later, not at once: some browsers read the URL after click() returns.
      setTimeout(() => URL.revokeObjectURL(url), 10000);
      alertBox.textContent = '';
    } catch (error) {
      alertBox.textContent = error.message;
    }
    button.disabled = false;
  }

  $('download-csv').addEventListener('click', (event) => download(event.currentTarget, '/admin/export.csv', 'export.csv'));
  $('download-report').addEventListener('click', (event) => download(event.currentTarget, '/admin/report.md', 'report.md'));
  // A new token pasted into the address bar changes only the fragment, which
  // does not reload the page.
  window.addEventListener('hashchange', () => location.reload());

  if (!token) {
    alertBox.textContent = 'No admin token: open the address the server printed, ending in #token=…';
    $('summary').textContent = '';
    for (const id of ['download-csv', 'download-report']) $(id).disabled = true;
  } else {
    refresh();
  }
})();
