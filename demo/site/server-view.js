// Renders the stand-ins' inspection output. Every value is inserted as text, never as HTML.
const messages = document.getElementById('messages');
const raw = document.getElementById('raw');

function findMessages(value, found = []) {
  if (Array.isArray(value)) value.forEach((item) => findMessages(item, found));
  else if (value && typeof value === 'object') {
    if (typeof value.id === 'string' && 'text' in value && ('user_id' in value || 'user' in value))
      found.push(value);
    else Object.values(value).forEach((item) => findMessages(item, found));
  }
  return found;
}

async function refresh() {
  const data = await (await fetch('/portal/server-view.json')).json();
  raw.textContent = JSON.stringify(data, null, 2);
  const rows = findMessages(data.stream ?? data).slice(-50);
  const table = document.createElement('table');
  const head = table.createTHead().insertRow();
  for (const title of ['message id', 'sender id', 'text field', 'custom fields (ciphertext)']) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = title;
    head.append(th);
  }
  const body = table.createTBody();
  for (const message of rows) {
    const row = body.insertRow();
    const custom = { ...message };
    for (const key of ['id', 'text', 'user_id', 'user', 'cid', 'created_at', 'updated_at', 'type'])
      delete custom[key];
    for (const value of [
      message.id,
      message.user_id ?? message.user?.id,
      message.text,
      JSON.stringify(custom),
    ]) {
      const cell = row.insertCell();
      cell.textContent = String(value ?? '').slice(0, 160);
    }
  }
  messages.replaceChildren(rows.length ? table : document.createTextNode('No messages stored yet.'));
}

document.getElementById('refresh').addEventListener('click', refresh);
await refresh();
