// The notice composer, when scripts run: a toolbar that wraps the chosen words in the tags
// Telegram shows, and a preview (reach, quiet hours, approval) redrawn as the form changes.
// Without scripts the form works the same through its "미리 보기" button.
(function () {
  "use strict";
  const form = document.querySelector("form.composer[data-live]");
  if (!form) return;
  const text = form.querySelector("#notice-text");
  const target = document.getElementById("live-preview");
  const toolbar = form.querySelector("[role=toolbar]");
  let timer = null;
  let asked = 0;

  function refresh() {
    clearTimeout(timer);
    timer = setTimeout(async function () {
      const body = new FormData(form);
      body.set("action", "preview");
      body.set("fragment", "1");
      const ticket = ++asked;
      // A control named "action" hides form.action: read the attribute.
      const answer = await fetch(form.getAttribute("action"), {
        method: "POST", body: body, credentials: "same-origin",
      });
      if (!answer.ok) return; // a stale form or a lost session: the buttons will say so
      const html = await answer.text();
      if (ticket === asked) target.innerHTML = html; // else a later change is on its way
    }, 400);
  }

  toolbar.hidden = false;
  toolbar.querySelectorAll("button[data-wrap]").forEach(function (button) {
    button.addEventListener("click", function () {
      const [open, close] = button.dataset.wrap.split("|");
      const start = text.selectionStart;
      const end = text.selectionEnd;
      const chosen = text.value.slice(start, end);
      text.setRangeText(open + chosen + close, start, end);
      text.focus();
      text.setSelectionRange(start + open.length, start + open.length + chosen.length);
      refresh();
    });
  });
  form.addEventListener("input", refresh);
  form.addEventListener("change", refresh);
})();
