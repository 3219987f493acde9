// Autosave of the scoring form, safe offline: every change becomes an entry (device id, sequence
// number, the version it was typed over) queued in IndexedDB and sent in order; a network failure
// leaves the queue for the next try (the `online` event, or the next change). The server stores a
// resent entry once, answers 409 when someone changed the entry meanwhile, 422 when the rules core
// refuses it or a field is beyond its bound (then `detail` lists the fields). Any answer below 500
// is final: the entry leaves the queue with its message, so a refused one is never retried forever;
// only a 5xx, no network, or a 401/403 (a session expired while offline, a stale CSRF token: signing
// in again sends it) keep it queued.
// Served from our own origin (no CDN); no inline script (CSP).
const form = document.getElementById("scoring");
const status = document.getElementById("sync-status");
const DB = "pingjian-scoring";

function device() {
  let id = localStorage.getItem("pingjian-device");
  if (!id) {
    id = crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(16).slice(2);
    localStorage.setItem("pingjian-device", id);
  }
  return id;
}

function nextSequence() {
  const n = Number(localStorage.getItem("pingjian-sequence") || "0") + 1;
  localStorage.setItem("pingjian-sequence", String(n));
  return n;
}

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore("queue", { keyPath: "sequence" });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function store(mode, work) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction("queue", mode);
    const result = work(tx.objectStore("queue"));
    tx.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
    tx.onerror = () => reject(tx.error);
  });
}

const queued = () => store("readonly", (s) => s.getAll());
const put = (entry) => store("readwrite", (s) => s.put(entry));
const remove = (sequence) => store("readwrite", (s) => s.delete(sequence));

function csrf() {
  try {
    return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
  } catch {
    return "";
  }
}

function valueOf(fieldset, part) {
  const form = part.dataset.form;
  if (form === "status") return part.value ? { status: part.value } : null;
  if (form === "score") {
    const v = part.querySelector("input").value;
    return v === "" ? null : { score: v };
  }
  if (form === "met") {
    const numbers = (sel) => [...part.querySelectorAll(sel + ":checked")].map((i) => Number(i.value));
    return { met: numbers("[data-met]"), not_applicable: numbers("[data-na]") };
  }
  if (form === "grade" || form === "result") {
    const checked = part.querySelector("input:checked");
    return checked ? { [form]: checked.value } : null;
  }
  if (form === "exempt") {
    if (!part.querySelector("[data-exempt]").checked) return null;
    const reason = part.querySelector("[data-reason]").value;
    return reason ? { exempt: true, reason } : { exempt: true };
  }
  return null;
}

function say(text) {
  status.textContent = text;
}

async function showQueue() {
  const waiting = (await queued()).length;
  if (waiting && signedOut) say(`暫存 ${waiting} 筆未送出：登入已逾時或無權限，請重新登入後再試`);
  else say(waiting ? `離線暫存 ${waiting} 筆，連線後自動送出` : "已全部儲存");
  status.dataset.waiting = String(waiting);
}

function refusal(response, answer) {
  if (answer.error) return answer.error;
  const fields = Array.isArray(answer.detail) ? answer.detail.map((d) => `${(d.loc || []).slice(-1)[0]}：${d.msg}`) : [];
  const why = fields.length ? fields.join("；") : typeof answer.detail === "string" ? answer.detail : `HTTP ${response.status}`;
  return `未儲存（${why}）`;
}

let flushing = false;
let signedOut = false;
async function flush() {
  if (flushing) return;
  flushing = true;
  let offline = false;
  let stalled = false;
  signedOut = false;
  try {
    const entries = (await queued()).sort((a, b) => a.sequence - b.sequence);
    for (const entry of entries) {
      let response;
      try {
        response = await fetch(entry.url || form.dataset.api, {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
          credentials: "same-origin",
          body: JSON.stringify(entry),
        });
      } catch {
        offline = true;
        break; // offline: keep the queue
      }
      if (response.status >= 500) {
        stalled = true; // the server's trouble: tried again on the next change or reconnection
        break;
      }
      if (response.status === 401 || response.status === 403) {
        signedOut = true;
        break; // kept: the surveyor signs in again and nothing typed offline is lost
      }
      let answer;
      try {
        answer = await response.json();
      } catch {
        answer = {};
      }
      const fieldset = form.querySelector(`[data-entry-key="${CSS.escape(entry.key)}"]`);
      const out = fieldset && fieldset.querySelector("[data-entry-status]");
      if (response.status === 200) {
        const version = answer.entry.version;
        if (fieldset) fieldset.dataset.version = String(version);
        // later entries of this key typed on this device follow this one: not a conflict
        for (const later of await queued()) {
          if (later.key === entry.key && later.sequence > entry.sequence && later.base_version === entry.base_version) {
            later.base_version = version;
            await put(later);
          }
        }
        if (out) out.textContent = "已儲存";
      } else if (out) {
        out.textContent = response.status === 409 ? "此項目已由他人更新，請重新整理後確認" : refusal(response, answer);
      }
      await remove(entry.sequence);
    }
  } finally {
    flushing = false;
    await showQueue();
  }
  // typed while sending; never straight again after a 5xx or a 401/403 (that looped without end)
  if (!offline && !stalled && !signedOut && (await queued()).length) await flush();
}

async function changed(event) {
  const part = event.target.closest("[data-form]");
  const fieldset = event.target.closest("[data-entry-key]");
  if (!part || !fieldset) return;
  const value = valueOf(fieldset, part);
  if (value === null) return;
  const pending = (await queued()).filter((e) => e.key === fieldset.dataset.entryKey);
  const base = pending.length ? pending[pending.length - 1].base_version : Number(fieldset.dataset.version || "0");
  await put({
    url: form.dataset.api,
    key: fieldset.dataset.entryKey,
    kind: form.dataset.kind,
    value,
    base_version: base,
    device_id: device(),
    sequence: nextSequence(),
  });
  await showQueue();
  await flush();
}

if (form) {
  form.addEventListener("change", changed);
  window.addEventListener("online", flush);
  flush();
}
