package main

import (
	"io"
	"net/http"
)

func writePage(w http.ResponseWriter, page string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; script-src 'unsafe-inline'; style-src 'unsafe-inline'")
	io.WriteString(w, page)
}

func (s *server) personPage(w http.ResponseWriter, _ *http.Request)   { writePage(w, personHTML) }
func (s *server) terminalPage(w http.ResponseWriter, _ *http.Request) { writePage(w, terminalHTML) }

// pageStyle keeps the QR images at their natural pixel size: go-qrcode draws whole pixels
// per module, and scaling would blur the modules for a camera (or zbarimg).
const pageStyle = `<style>
body { font-family: sans-serif; margin: 24px; }
img.qr { width: 296px; height: 296px; image-rendering: pixelated; display: block; }
.note { color: #555; font-size: 14px; }
#status { min-height: 1.2em; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: 4px 8px; }
</style>`

// personHTML is the holder's page: the internet-cafe code, replaced at each window's end
// without reloading. The current code's text is in the img's data-code attribute, set in
// the same task as the new image, so that the DOM and the picture agree.
const personHTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>trustid cafe: my identity code</title>` + pageStyle + `</head>
<body>
<h1>My identity code: internet cafe</h1>
<p class="note">Synthetic demo person, not a real identity. Show this code to the cafe terminal; it changes every window.</p>
<p>Holder: <span id="holder">…</span></p>
<img id="qr" class="qr" alt="identity code" data-code="">
<p>New code in <span id="countdown">…</span> s</p>
<p><button id="reverse">Check in by scanning the terminal (simulated wallet)</button></p>
<p id="status"></p>
<script>
"use strict";
(function () {
  const img = document.getElementById("qr");
  const countdown = document.getElementById("countdown");
  const status = document.getElementById("status");
  const holder = document.getElementById("holder");
  let deadline = 0; // performance.now() at which the shown code's window ends

  async function refresh() {
    let delay = 1000; // retry delay after an error
    try {
      const r = await fetch("api/code", {cache: "no-store"});
      if (!r.ok) throw new Error("HTTP " + r.status);
      const c = await r.json();
      const next = new Image();
      next.src = c.png;
      await next.decode();
      img.src = next.src;
      img.dataset.code = c.text;
      img.dataset.expires = c.expires;
      holder.textContent = c.holder;
      deadline = performance.now() + c.expiresInMs;
      delay = c.expiresInMs + 50;
    } catch (e) {
      status.textContent = "Could not fetch the code: " + e.message;
    }
    setTimeout(refresh, Math.max(delay, 200));
  }

  function tick() {
    const left = Math.max(0, deadline - performance.now()) / 1000;
    countdown.textContent = deadline ? left.toFixed(1) : "…";
  }

  async function post(path, body) {
    const r = await fetch(path, {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)});
    const j = await r.json();
    if (!r.ok) throw new Error(j.reason + ": " + j.message);
    return j;
  }

  document.getElementById("reverse").addEventListener("click", async () => {
    try {
      const v = await (await fetch("api/venue", {cache: "no-store"})).json();
      const w = await post("api/wallet/checkin", {challenge: v.text});
      const res = await post("api/checkin", {checkin: w.checkin});
      status.textContent = "Checked in as " + res.checkIn.name + " " + res.checkIn.idNumber;
    } catch (e) {
      status.textContent = "Check-in refused: " + e.message;
    }
  });

  setInterval(tick, 100);
  refresh();
})();
</script>
</body></html>
`

// terminalHTML is the cafe terminal: its signed venue challenge (for the reverse flow), a
// field standing in for its scanner, and the masked list of people checked in.
const terminalHTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>trustid cafe: terminal</title>` + pageStyle + `</head>
<body>
<h1>Cafe terminal</h1>
<p class="note">Scan this code with your wallet to check in.</p>
<img id="venue" class="qr" alt="venue challenge" data-code="">
<p>Replaced in <span id="countdown">…</span> s</p>
<form id="scan"><label>Scanned code: <input id="code" size="60" autocomplete="off"></label> <button>Check in</button></form>
<p id="status"></p>
<h2>Checked in</h2>
<table><thead><tr><th>time (UTC)</th><th>name</th><th>ID number</th><th>flow</th></tr></thead><tbody id="list"></tbody></table>
<script>
"use strict";
(function () {
  const img = document.getElementById("venue");
  const list = document.getElementById("list");
  const countdown = document.getElementById("countdown");
  const status = document.getElementById("status");
  let deadline = 0;

  async function refresh() {
    try {
      const r = await fetch("api/terminal", {cache: "no-store"});
      if (!r.ok) throw new Error("HTTP " + r.status);
      const t = await r.json();
      if (img.dataset.code !== t.venue.text) {
        const next = new Image();
        next.src = t.venue.png;
        await next.decode();
        img.src = next.src;
        img.dataset.code = t.venue.text;
      }
      deadline = performance.now() + t.venue.expiresInMs;
      list.replaceChildren(...t.checkIns.map((c) => {
        const tr = document.createElement("tr");
        for (const v of [c.at.slice(11, 19), c.name, c.idNumber, c.flow]) {
          const td = document.createElement("td");
          td.textContent = v;
          tr.appendChild(td);
        }
        return tr;
      }));
    } catch (e) {
      status.textContent = "Could not refresh: " + e.message;
    }
    setTimeout(refresh, 1000);
  }

  document.getElementById("scan").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const input = document.getElementById("code");
    try {
      const r = await fetch("api/scan", {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify({code: input.value.trim()})});
      const j = await r.json();
      status.textContent = r.ok ? "Checked in: " + j.checkIn.name + " " + j.checkIn.idNumber : "Refused: " + j.reason;
    } catch (e) {
      status.textContent = "Scan failed: " + e.message;
    }
    input.value = "";
  });

  setInterval(() => {
    countdown.textContent = deadline ? (Math.max(0, deadline - performance.now()) / 1000).toFixed(1) : "…";
  }, 100);
  refresh();
})();
</script>
</body></html>
`
