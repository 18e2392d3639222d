/* The application form: sections that follow the ticked boxes, rows that can be added,
   autosave as the user types (kept in this browser too, so nothing is lost when the
   session expires), and the pre-check shown beside each field. No library needed. */
(function () {
  "use strict";
  var form = document.getElementById("appform");
  if (!form) return;
  var stateEl = document.getElementById("savestate");
  var storeKey = form.dataset.key;

  function csrf() {
    var el = form.querySelector("input[name=csrfmiddlewaretoken]");
    return el ? el.value : "";
  }

  // ---- show / hide by the ticked boxes
  function isOn(cond) {
    var parts = cond.split("=");
    var name = parts[0];
    if (parts.length === 1) {
      var box = form.querySelector('[name="' + name + '"][type=checkbox], [data-toggle="' + name + '"]');
      return !!(box && box.checked);
    }
    var values = parts[1].split("|");
    var checked = form.querySelector('[name="' + name + '"]:checked');
    if (checked) return values.indexOf(checked.value) >= 0;
    return false;
  }
  function refresh() {
    document.querySelectorAll("[data-show-when]").forEach(function (el) { el.hidden = !isOn(el.dataset.showWhen); });
    document.querySelectorAll("[data-hide-when]").forEach(function (el) { el.hidden = isOn(el.dataset.hideWhen); });
    var n = form.querySelectorAll("input[name=scope_committees]:checked").length;
    var counter = document.getElementById("committee-count");
    if (counter) counter.textContent = n;
    form.querySelectorAll("details[data-street]").forEach(function (d) {
      var out = d.querySelector("[data-street-count]");
      if (out) out.textContent = d.querySelectorAll("input[name=scope_committees]:checked").length;
    });
  }
  // A support type whose fields hold text is ticked (after a restore, or a page kept by the browser).
  function tickFilledSupport() {
    form.querySelectorAll("[data-toggle]").forEach(function (box) {
      var filled = false;
      form.querySelectorAll('[name^="' + box.dataset.toggle + '."]').forEach(function (i) { if (i.value.trim()) filled = true; });
      if (filled) box.checked = true;
    });
  }
  // ---- the committee picker: all or none of one street
  form.querySelectorAll("details[data-street]").forEach(function (d) {
    function setAll(on) {
      d.querySelectorAll("input[name=scope_committees]").forEach(function (i) { i.checked = on; });
      changed();
    }
    var all = d.querySelector("[data-select-all]"), none = d.querySelector("[data-select-none]");
    if (all) all.addEventListener("click", function () { setAll(true); });
    if (none) none.addEventListener("click", function () { setAll(false); });
  });
  // A support type left unticked is not sent: its fields are cleared when unticked.
  form.querySelectorAll("[data-toggle]").forEach(function (box) {
    box.addEventListener("change", function () {
      if (!box.checked) {
        form.querySelectorAll('[name^="' + box.dataset.toggle + '."]').forEach(function (i) { i.value = ""; });
      }
    });
  });

  // ---- rows
  function addRow(kind) {
    var list = document.getElementById(kind + "-rows");
    var tpl = document.getElementById(kind + "-template");
    var i = list.children.length;
    list.insertAdjacentHTML("beforeend", tpl.innerHTML.replace(/__i__/g, i));
    return list.lastElementChild;
  }
  document.querySelectorAll("[data-add-row]").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var row = addRow(btn.dataset.addRow);
      var first = row.querySelector("input");
      if (first) first.focus();
    });
  });

  // ---- autosave
  function entries() {
    var out = [];
    new FormData(form).forEach(function (v, k) { if (typeof v === "string") out.push([k, v]); });
    return out;
  }
  function keepLocally() {
    try { localStorage.setItem(storeKey, JSON.stringify({ at: new Date().toISOString(), entries: entries() })); } catch (e) { /* storage full or off */ }
  }
  function say(text, cls) { stateEl.textContent = text; stateEl.className = "savestate " + (cls || ""); }
  var timer = null, saving = false, again = false;
  function save() {
    if (saving) { again = true; return; }
    saving = true;
    say("正在保存…");
    fetch(form.dataset.autosave, { method: "POST", body: new FormData(form), headers: { "X-CSRFToken": csrf() }, credentials: "same-origin" })
      .then(function (r) {
        if (r.status === 401 || r.status === 403 || r.redirected) { expired(); return; }
        if (!r.ok) { say("保存失败，内容已暂存在本机", "bad"); return; }
        return r.json().then(function (data) {
          form.dataset.updated = data.saved_at;
          localStorage.removeItem(storeKey);
          say("已自动保存 " + new Date().toLocaleTimeString("zh-CN", { hour12: false }), "ok");
        });
      })
      .catch(function () { say("网络中断，内容已暂存在本机，恢复后自动保存", "bad"); })
      .then(function () { saving = false; if (again) { again = false; save(); } });
  }
  function expired() {
    var banner = document.getElementById("restore-banner");
    var next = encodeURIComponent(location.pathname);
    banner.innerHTML = "登录已过期。您填写的内容已暂存在本机，<a href=\"" + form.dataset.login + "?next=" + next + "\">重新登录</a>后将自动恢复。";
    banner.hidden = false;
    say("登录已过期，内容已暂存在本机", "bad");
  }
  function changed() {
    refresh();
    keepLocally();
    clearTimeout(timer);
    timer = setTimeout(save, 1200);
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);

  // ---- restore what this browser kept and the server did not get
  function restore() {
    var kept;
    try { kept = JSON.parse(localStorage.getItem(storeKey) || "null"); } catch (e) { kept = null; }
    if (!kept || !kept.entries) return;
    if (form.dataset.updated && new Date(kept.at) <= new Date(form.dataset.updated)) { localStorage.removeItem(storeKey); return; }
    form.querySelectorAll("input[type=checkbox], input[type=radio]").forEach(function (el) { if (el.name && el.name.charAt(0) !== "_") el.checked = false; });
    kept.entries.forEach(function (pair) {
      var name = pair[0], value = pair[1];
      var m = /^(duties|courses)\[(\d+)\]/.exec(name);
      if (m) {
        var kind = m[1] === "duties" ? "duty" : "course";
        while (document.getElementById(kind + "-rows").children.length <= +m[2]) addRow(kind);
      }
      var els = form.querySelectorAll('[name="' + name.replace(/"/g, '\\"') + '"]');
      els.forEach(function (el) {
        if (el.type === "checkbox" || el.type === "radio") { if (el.value === value || (value === "on" && el.type === "checkbox")) el.checked = true; }
        else if (name !== "csrfmiddlewaretoken") el.value = value;
      });
    });
    tickFilledSupport();
    var banner = document.getElementById("restore-banner");
    banner.textContent = "已恢复本机暂存的、尚未保存到系统的内容（" + new Date(kept.at).toLocaleString("zh-CN", { hour12: false }) + "），正在保存。";
    banner.hidden = false;
    refresh();
    save();
  }

  // ---- pre-check (R-APP-9)
  // "duties[1].mode" → "duties[1]" → "duties": the nearest element on the page that holds the field.
  function parentPath(path) {
    var up = path.replace(/(\.[^.\[\]]+|\[\d+\])$/, "");
    return up === path ? "" : up;
  }
  function place(item, cls) {
    var path = item.field || "";
    var target = null;
    while (path && !target) {
      target = document.querySelector('[data-field="' + path + '"]');
      if (!target) path = parentPath(path);
    }
    var p = document.createElement("p");
    p.className = cls;
    p.textContent = item.message;
    if (target && /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) {
      target.insertAdjacentElement("afterend", p);  // a control cannot hold the message: put it just after
    } else if (target && target.classList.contains("row")) {
      (target.querySelector(":scope > .value") || target).appendChild(p);  // beside the inputs, not under the label
    } else {
      (target || form).appendChild(p);
    }
    if (target) target.classList.add(cls === "field-error" ? "has-error" : "has-flag");
    return target;
  }
  function precheck() {
    var data = new FormData(form);
    fetch(form.dataset.precheck, { method: "POST", body: data, headers: { "X-CSRFToken": csrf() }, credentials: "same-origin" })
      .then(function (r) {
        if (r.status === 401 || r.status === 403) { expired(); return null; }
        if (!r.ok) { say("预检暂时无法完成，请稍后再试", "bad"); return null; }
        return r.json();
      })
      .then(function (res) {
        if (!res) return;
        document.querySelectorAll(".field-error, .field-flag").forEach(function (el) { el.remove(); });
        document.querySelectorAll(".has-error, .has-flag").forEach(function (el) { el.classList.remove("has-error", "has-flag"); });
        var first = null;
        (res.errors || []).forEach(function (e) { var t = place(e, "field-error"); first = first || t; });
        (res.flags || []).forEach(function (f) { var t = place(f, "field-flag"); first = first || t; });
        refresh();
        var box = document.getElementById("precheck-summary");
        var n = (res.errors || []).length, k = (res.flags || []).length;
        var latest = res.latest_submission_date ? "最迟提交日期：" + res.latest_submission_date + "。" : "";
        box.className = "notice " + (n ? "error" : "ok");
        box.textContent = "";
        var head = document.createElement("b");
        head.textContent = n
          ? "预检发现 " + n + " 个问题须修改" + (k ? "，另有 " + k + " 项提示将提交审核人关注" : "") + "。"
          : "预检通过，可以提交。" + (k ? "有 " + k + " 项提示将提交审核人关注。" : "");
        box.appendChild(head);
        if (latest) { var d = document.createElement("span"); d.className = "latest"; d.textContent = latest; box.appendChild(d); }
        // Each problem once more in the summary, as a link to the field it sits beside.
        var all = (res.errors || []).map(function (e) { return [e, "error"]; }).concat((res.flags || []).map(function (f) { return [f, "flag"]; }));
        if (all.length) {
          var ul = document.createElement("ul");
          all.forEach(function (pair) {
            var li = document.createElement("li"), a = document.createElement("a");
            li.className = pair[1];
            a.href = "#";
            a.textContent = pair[0].message;
            a.addEventListener("click", function (ev) {
              ev.preventDefault();
              var path = pair[0].field || "", t = null;
              while (path && !t) { t = document.querySelector('[data-field="' + path + '"]'); if (!t) path = parentPath(path); }
              if (t) { t.scrollIntoView({ behavior: "smooth", block: "center" }); var c = t.matches("input,select,textarea") ? t : t.querySelector("input:not([type=hidden]),select,textarea"); if (c) c.focus({ preventScroll: true }); }
            });
            li.appendChild(a);
            ul.appendChild(li);
          });
          box.appendChild(ul);
        }
        box.hidden = false;
        box.scrollIntoView({ behavior: "smooth", block: "start" });
      });
  }
  document.getElementById("precheck").addEventListener("click", precheck);

  tickFilledSupport();
  refresh();
  restore();
})();
