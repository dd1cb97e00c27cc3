// kaplan serve: reloads the page after a rebuild, and shows the problems of a
// failed rebuild over the last good page until they are fixed.
(function () {
  "use strict";
  var overlay = null;
  function hide() { if (overlay) { overlay.remove(); overlay = null; } }
  function show(problems) {
    hide();
    overlay = document.createElement("div");
    overlay.id = "kaplan-overlay";
    overlay.setAttribute("role", "alert");
    var s = overlay.style;
    s.position = "fixed"; s.left = "0"; s.right = "0"; s.bottom = "0"; s.maxHeight = "60vh"; s.overflow = "auto";
    s.zIndex = "2147483647"; s.background = "#2b1111"; s.color = "#fff"; s.font = "14px/1.45 ui-monospace, monospace";
    s.padding = "12px 16px"; s.boxShadow = "0 -4px 16px rgba(0,0,0,.35)";
    var title = document.createElement("strong");
    title.textContent = problems.title;
    overlay.appendChild(title);
    var list = document.createElement("ul");
    list.style.margin = "8px 0 0"; list.style.paddingLeft = "18px";
    problems.items.forEach(function (p) {
      var li = document.createElement("li");
      li.textContent = p;
      list.appendChild(li);
    });
    overlay.appendChild(list);
    document.body.appendChild(overlay);
  }
  var source = new EventSource("/__kaplan/events");
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("problems", function (e) { show(JSON.parse(e.data)); });
  source.addEventListener("ok", hide);
})();
