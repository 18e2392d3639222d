/* R-PROC-7: on the application form, the system proposes 一致 / 表述调整 / 新增 and the municipal item
   from the wording of the name and summary; the applicant confirms it (采用) or chooses otherwise. */
(function () {
  "use strict";
  var form = document.querySelector("form");
  var name = document.querySelector('[name="name"]');
  var summary = document.querySelector('[name="summary"]');
  var row = document.querySelector('[data-field="municipal_comparison"] .value');
  if (!form || !name || !row) return;
  var hint = document.createElement("div");
  hint.className = "suggest-hint";
  hint.hidden = true;
  hint.setAttribute("aria-live", "polite");
  row.insertBefore(hint, row.firstChild);
  var timer = null, last = "";

  function apply(s) {
    var radio = form.querySelector('input[name="municipal_comparison"][value="' + s.comparison + '"]');
    if (radio) { radio.checked = true; radio.dispatchEvent(new Event("change", { bubbles: true })); }
    var select = form.querySelector('[name="municipal_item"]');
    if (select && s.name) { select.value = s.name; select.dispatchEvent(new Event("change", { bubbles: true })); }
  }

  function show(s) {
    hint.textContent = "";
    var b = document.createElement("b");
    b.textContent = "系统建议：" + s.label;
    hint.appendChild(b);
    if (s.name) hint.appendChild(document.createTextNode("　对应市级事项“" + s.name + "”（相似度 " + s.score + "）"));
    else hint.appendChild(document.createTextNode("　市级清单中没有相近的事项"));
    var use = document.createElement("button");
    use.type = "button";
    use.textContent = "采用";
    use.addEventListener("click", function () { apply(s); });
    hint.appendChild(use);
    hint.hidden = false;
  }

  function ask() {
    var q = "name=" + encodeURIComponent(name.value.trim()) + "&summary=" + encodeURIComponent(summary ? summary.value.trim() : "");
    if (!name.value.trim() || q === last) return;
    last = q;
    fetch("/api/v1/municipal-lists/suggest?" + q, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) { if (s) show(s); })
      .catch(function () { /* a suggestion is a help, never a blocker */ });
  }

  function later() { clearTimeout(timer); timer = setTimeout(ask, 500); }
  name.addEventListener("input", later);
  if (summary) summary.addEventListener("input", later);
  ask();
})();
