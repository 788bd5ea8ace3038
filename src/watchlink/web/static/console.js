// watchlink console: live inbox over server-sent events; everything else works without it.
(function () {
  "use strict";
  var body = document.body;
  var url = body.getAttribute("data-stream");
  var inbox = document.getElementById("inbox");
  var status = document.getElementById("live-status");
  if (!url || !inbox || typeof EventSource === "undefined") return;

  function say(text) { if (status) status.textContent = text; }

  function refresh(hitId) {
    // The server renders the hit (policy-filtered, blind when it must be): fetch the fragment.
    fetch("/inbox/hits/" + encodeURIComponent(hitId), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        if (!html) return;
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var card = holder.firstElementChild;
        if (!card) return;
        var old = document.getElementById(card.id);
        var empty = document.getElementById("inbox-empty");
        if (empty) empty.remove();
        card.classList.add("fresh");
        if (old) { old.replaceWith(card); } else { inbox.insertBefore(card, inbox.firstChild); }
        say("New hit received " + new Date().toLocaleTimeString());
      })
      .catch(function () { say("Could not load a new hit; reload the page."); });
  }

  var source = new EventSource(url, { withCredentials: true });
  source.addEventListener("open", function () { say("Live: new hits appear here without reloading."); });
  source.addEventListener("error", function () { say("Live updates interrupted; retrying…"); });
  function onHit(event) {
    var id = null;
    try { var data = JSON.parse(event.data); id = data.hit_id || data.id || null; } catch (e) { id = null; }
    if (id) refresh(id);
  }
  source.addEventListener("hit", onHit);
  source.addEventListener("message", onHit);
})();
