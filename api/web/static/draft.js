// The draft page, with script (it works without: a passage is then chosen by its sentence).
// 1. Words selected in the report show a small toolbar "Add as…"; its buttons choose the exact words
//    as the passage of the form "Add a passage of the report", and what to add them as. Offsets count
//    characters of the report's text (code points), from the data-start of the run each end is in.
// 2. The form shows only the fields of what is being added.
// 3. A click on a mark goes to its row of the draft.
// 4. Unticking a row takes it out of the summary of what will be recorded, at once.
(function () {
  "use strict";
  var report = document.getElementById("report");
  var form = document.getElementById("confirmation");
  if (!report || !form) { return; }
  var tools = document.getElementById("passage-tools");
  var passage = document.getElementById("add-passage-choice");
  var fieldset = document.getElementById("add-passage");
  var kinds = form.querySelectorAll("input[name=add_kind]");
  var chosen = null;

  function length(text) { return Array.from(text).length; }

  // The offset in the report's text of a boundary point of the selection.
  function offsetOf(node, offset) {
    if (node.nodeType === Node.TEXT_NODE) {
      var run = node.parentElement && node.parentElement.closest("[data-start]");
      if (!run || !report.contains(run)) { return null; }
      return Number(run.dataset.start) + length(node.data.slice(0, offset));
    }
    if (node !== report && !report.contains(node)) { return null; }
    var point = document.createRange();
    point.setStart(node, offset);
    var runs = report.querySelectorAll("[data-start]");
    for (var i = 0; i < runs.length; i++) {
      if (point.comparePoint(runs[i], 0) >= 0) { return Number(runs[i].dataset.start); }
    }
    var last = runs[runs.length - 1];
    return last ? Number(last.dataset.start) + length(last.textContent) : 0;
  }

  function selected() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) { return null; }
    var range = selection.getRangeAt(0);
    var start = offsetOf(range.startContainer, range.startOffset);
    var end = offsetOf(range.endContainer, range.endOffset);
    if (start === null || end === null || end <= start) { return null; }
    var words = selection.toString().replace(/\s+/g, " ").trim();
    if (!words) { return null; }
    return { start: start, end: end, words: words, rect: range.getBoundingClientRect() };
  }

  function place(rect) {
    tools.hidden = false;
    var width = tools.offsetWidth;
    var left = document.dir === "rtl" ? rect.right - width : rect.left;
    tools.style.left = Math.max(8, Math.min(left, window.innerWidth - width - 8)) + "px";
    var height = tools.offsetHeight;
    var top = rect.bottom + 6 + height > window.innerHeight ? rect.top - height - 6 : rect.bottom + 6;
    tools.style.top = Math.max(8, Math.min(top, window.innerHeight - height - 8)) + "px";
  }

  document.addEventListener("selectionchange", function () {
    var found = selected();
    if (found) {
      chosen = found;
      place(found.rect);
    } else if (!tools.contains(document.activeElement)) {
      tools.hidden = true;
    }
  });
  window.addEventListener("scroll", function () { tools.hidden = true; }, { passive: true });
  report.addEventListener("scroll", function () { tools.hidden = true; }, { passive: true });
  tools.addEventListener("mousedown", function (event) { event.preventDefault(); }); // keeps the selection

  function show(kind) {
    form.querySelectorAll(".for-kind").forEach(function (part) {
      part.hidden = part.dataset.for.split(" ").indexOf(kind) < 0;
    });
  }

  function checkedKind() {
    var checked = form.querySelector("input[name=add_kind]:checked");
    return checked ? checked.value : "";
  }

  kinds.forEach(function (radio) { radio.addEventListener("change", function () { show(checkedKind()); }); });
  show(checkedKind());

  tools.querySelectorAll("button[data-kind]").forEach(function (button) {
    button.addEventListener("click", function () {
      if (!chosen) { return; }
      var option = passage.querySelector("option[data-selection]");
      if (!option) {
        option = document.createElement("option");
        option.dataset.selection = "";
        option.lang = report.lang;
        option.dir = report.dir;
        passage.insertBefore(option, passage.options[1] || null);
      }
      option.value = chosen.start + "-" + chosen.end;
      var words = chosen.words.length > 80 ? chosen.words.slice(0, 80) + " …" : chosen.words;
      option.textContent = "« " + words + " »";
      option.selected = true;
      kinds.forEach(function (radio) { radio.checked = radio.value === button.dataset.kind; });
      show(button.dataset.kind);
      tools.hidden = true;
      fieldset.scrollIntoView({ block: "nearest" });
      var first = form.querySelector(".for-kind:not([hidden]) input, .for-kind:not([hidden]) select, .for-kind:not([hidden]) textarea");
      (first || passage).focus({ preventScroll: true });
    });
  });

  report.addEventListener("click", function (event) {
    var mark = event.target.closest("mark[data-row]");
    var selection = window.getSelection();
    if (!mark || (selection && !selection.isCollapsed)) { return; }
    var row = document.getElementById(mark.dataset.row);
    if (!row) { return; }
    var details = row.closest("details");
    if (details) { details.open = true; }
    location.hash = mark.dataset.row;
  });

  var summary = document.getElementById("summary");
  var numbers = new Intl.NumberFormat(summary ? summary.dataset.locale : undefined);
  form.addEventListener("change", function (event) {
    var box = event.target;
    if (!summary || !box.name || !/_keep$/.test(box.name)) { return; }
    var row = box.name.replace(/_keep$/, "");
    var line = document.getElementById(row);
    if (line) { line.classList.toggle("unticked", !box.checked); }
    var item = summary.querySelector("li[data-row='" + row + "']");
    if (!item) { return; }
    item.hidden = !box.checked;
    var group = item.closest("[data-group]");
    var count = group.querySelectorAll("li[data-row]:not([hidden])").length;
    group.querySelector(".n").textContent = numbers.format(count);
  });
})();
