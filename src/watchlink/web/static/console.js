// watchlink console: live inbox over server-sent events, ticking deadline clocks.
// Every page works without it; this only saves reloads.
(function () {
  "use strict";

  function span(ms) {
    var s = Math.abs(ms) / 1000;
    if (s >= 86400) return Math.floor(s / 86400) + " d";
    if (s >= 3600) return Math.floor(s / 3600) + " h";
    if (s >= 60) return Math.floor(s / 60) + " min";
    return "under a minute";
  }

  function tick() {
    var clocks = document.querySelectorAll(".clock[data-deadline]");
    for (var i = 0; i < clocks.length; i++) {
      var left = Date.parse(clocks[i].getAttribute("data-deadline")) - Date.now();
      if (isNaN(left)) continue;
      clocks[i].textContent = left < 0 ? "overdue by " + span(left) : "due in " + span(left);
      clocks[i].classList.toggle("late", left < 0);
    }
  }
  if (document.querySelector(".clock[data-deadline]")) window.setInterval(tick, 30000);

  var url = document.body.getAttribute("data-stream");
  var inbox = document.getElementById("inbox");
  var status = document.getElementById("live-status");
  if (!url || !inbox || typeof EventSource === "undefined") return;

  function say(text) { if (status) status.textContent = text; }

  function show(hitId) {
    // The server renders the card (policy-filtered, blind when it must be).
    fetch("/inbox/hits/" + encodeURIComponent(hitId), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        if (!html) return;
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var card = holder.querySelector("article.hit");
        if (!card) return;
        var old = document.getElementById(card.id);
        var empty = document.getElementById("inbox-empty");
        if (empty) empty.remove();
        card.classList.add("fresh");
        if (old) old.remove();
        var rank = card.getAttribute("data-rank") || "";
        var cards = inbox.querySelectorAll("article.hit");
        var before = null;
        for (var i = 0; i < cards.length; i++) {
          if ((cards[i].getAttribute("data-rank") || "") > rank) { before = cards[i]; break; }
        }
        inbox.insertBefore(card, before);  // in urgency order, as the server sorts
        say("New hit received at " + new Date().toLocaleTimeString() + ".");
      })
      .catch(function () { say("A new hit could not be shown; reload the page."); });
  }

  function catchUp() {
    // After a cut, hits may have arrived unheard: take the inbox afresh from the server.
    fetch("/", { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("inbox");
        if (fresh) inbox.innerHTML = fresh.innerHTML;
      })
      .catch(function () { say("Reload the page to see hits that arrived meanwhile."); });
  }

  var cut = false;
  var source = new EventSource(url, { withCredentials: true });
  source.addEventListener("open", function () {
    say("Live: new hits appear here without reloading.");
    if (cut) catchUp();
    cut = false;
  });
  source.addEventListener("error", function () {
    cut = true;
    say("Live updates interrupted; reconnecting…");
  });
  function onEvent(event) {
    var id = null;
    try { var data = JSON.parse(event.data); id = data.hit_id || (data.data && data.data.hit_id) || data.reference || null; } catch (e) { id = null; }
    if (id) show(id);
  }
  source.addEventListener("hit", onEvent);
  source.addEventListener("message", onEvent);
})();
