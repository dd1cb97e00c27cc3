// kaplan serve: reloads the page whenever a rebuild publishes a new site, and
// shows the problems that concern this page in an overlay until they are
// fixed. The server sends every problem: `all` (not about one account: the
// config, a template, the plans folder) shows on every page; `accounts[ID]`
// only on that account's dossier (/accounts/ID/), so one broken plan marks
// its own page and leaves the others clean. Problem text is plan text: it is
// set with textContent, never parsed as HTML.
(function () {
  "use strict";
  var overlay = null;
  // The account whose dossier this page is, or null.
  var account = null;
  var m = /^\/accounts\/([^\/]+)\//.exec(location.pathname);
  if (m) {
    try { account = decodeURIComponent(m[1]); } catch (e) { account = null; }
  }
  function hide() { if (overlay) { overlay.remove(); overlay = null; } }
  function show(groups) {
    hide();
    if (!groups.length) { return; }
    overlay = document.createElement("div");
    overlay.id = "kaplan-overlay";
    overlay.setAttribute("role", "alert");
    var s = overlay.style;
    s.position = "fixed"; s.left = "0"; s.right = "0"; s.bottom = "0"; s.maxHeight = "60vh"; s.overflow = "auto";
    s.zIndex = "2147483647"; s.background = "#2b1111"; s.color = "#fff"; s.font = "14px/1.45 ui-monospace, monospace";
    s.padding = "12px 16px"; s.boxShadow = "0 -4px 16px rgba(0,0,0,.35)";
    groups.forEach(function (group) {
      var title = document.createElement("strong");
      title.textContent = group.title;
      overlay.appendChild(title);
      var list = document.createElement("ul");
      list.style.margin = "8px 0 0"; list.style.paddingLeft = "18px";
      group.items.forEach(function (p) {
        var li = document.createElement("li");
        li.textContent = p;
        list.appendChild(li);
      });
      overlay.appendChild(list);
    });
    document.body.appendChild(overlay);
  }
  function mine(problems) {
    var groups = (problems.all || []).slice();
    var own = problems.accounts || {};
    if (account !== null && Object.prototype.hasOwnProperty.call(own, account)) {
      groups.push(own[account]);
    }
    return groups;
  }
  var source = new EventSource("/__kaplan/events");
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("problems", function (e) { show(mine(JSON.parse(e.data))); });
  source.addEventListener("ok", hide);
})();
