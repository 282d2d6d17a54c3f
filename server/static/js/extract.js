// The review page (/extract): draft the claims of a text, review them, download the YAML.
// Routes: server/extract.py. No inline script; every request goes to this server.
(function () {
  "use strict";
  const app = document.getElementById("extract-app");
  if (!app) return;
  const $ = (id) => document.getElementById(id);
  const EDITABLE = ["speaker", "targets", "event_type", "date"];
  const STATES = ["pending", "accepted", "rejected"];
  let draft = null; // {yaml, article, entities, claims, warnings}
  let reviewed = null; // the last reviewed YAML made by the server
  let blobUrl = null;

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined) continue;
      if (k === "text") node.textContent = v;
      else node.setAttribute(k, v);
    }
    for (const child of children || []) node.appendChild(child);
    return node;
  }

  async function call(url, options) {
    const response = await fetch(url, Object.assign({ headers: {} }, options, {
      headers: Object.assign({ Accept: "application/json" }, (options || {}).headers || {}),
    }));
    let body = null;
    try { body = await response.json(); } catch (e) { body = { error: response.statusText }; }
    if (!response.ok) {
      const error = new Error(body.error || ("HTTP " + response.status));
      error.problems = body.problems || [];
      error.status = response.status;
      throw error;
    }
    return body;
  }

  function showError(error) {
    const box = $("extract-error");
    box.replaceChildren(el("p", { text: error.message }));
    if (error.problems && error.problems.length) {
      box.appendChild(el("ul", {}, error.problems.map((p) => el("li", { text: p }))));
    }
    box.hidden = false;
  }

  // -- drafting ---------------------------------------------------------------------------
  $("extract-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    $("extract-error").hidden = true;
    $("extract-status").textContent = "Drafting…";
    const file = $("article-file").files[0];
    let options;
    if (file) {
      const form = new FormData($("extract-form"));
      options = { method: "POST", body: form };
    } else {
      options = {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          text: $("article-text").value,
          title: $("article-title").value,
          date: $("article-date").value,
        }),
      };
    }
    try {
      draft = await call(app.dataset.draftUrl, options);
      reviewed = null;
      render();
      $("extract-status").textContent = draft.claims.length + " claim(s) drafted.";
    } catch (error) {
      $("extract-status").textContent = "";
      showError(error);
    }
  });

  // -- the text with its spans --------------------------------------------------------------
  function renderText() {
    const view = $("article-view");
    const text = draft.article.text || "";
    const spans = draft.claims
      .filter((c) => Array.isArray(c.span) && c.span.length === 2 && c.span[0] < c.span[1])
      .map((c) => ({ id: c.id, start: c.span[0], end: Math.min(c.span[1], text.length) }))
      .sort((a, b) => a.start - b.start);
    const parts = [];
    let at = 0;
    for (const s of spans) {
      if (s.start < at) continue; // overlapping: the first one keeps the highlight
      parts.push(document.createTextNode(text.slice(at, s.start)));
      const mark = el("mark", { "data-claim": s.id, title: "claim " + s.id, text: text.slice(s.start, s.end) });
      mark.addEventListener("click", () => focusClaim(s.id, true));
      parts.push(mark);
      at = s.end;
    }
    parts.push(document.createTextNode(text.slice(at)));
    view.replaceChildren(...parts);
  }

  function focusClaim(id, scroll) {
    for (const node of document.querySelectorAll(".current")) node.classList.remove("current");
    const card = document.querySelector('.claim-card[data-claim="' + id + '"]');
    const mark = document.querySelector('mark[data-claim="' + id + '"]');
    if (card) card.classList.add("current");
    if (mark) mark.classList.add("current");
    if (scroll && card) card.scrollIntoView({ block: "nearest" });
  }

  // -- the claims --------------------------------------------------------------------------
  function fieldValue(claim, name) {
    const value = claim[name];
    if (value === null || value === undefined) return "";
    return Array.isArray(value) ? value.join(", ") : String(value);
  }

  function suggestionList(claim, name) {
    const id = "suggest-" + claim.id + "-" + name;
    const list = el("datalist", { id: id });
    return list;
  }

  let timer = null;
  function suggest(input, list, name) {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const whole = input.value;
      const cut = name === "targets" ? whole.lastIndexOf(",") + 1 : 0;
      const typed = whole.slice(cut).trim();
      const head = whole.slice(0, cut) + (cut ? " " : "");
      const options = [];
      const seen = new Set();
      const low = typed.toLowerCase();
      for (const [key, e] of Object.entries(draft.entities)) {
        if (low && (key.includes(low) || String(e.label || "").toLowerCase().includes(low))) {
          options.push([key, e.label || key]);
          seen.add(key);
          if (e.iri) seen.add(e.iri);
        }
      }
      if (typed.length > 2) {
        try {
          const found = await call(app.dataset.entitiesUrl + "?q=" + encodeURIComponent(typed));
          for (const s of found.suggestions) {
            if (!seen.has(s.ref)) options.push([s.ref, s.label]);
          }
        } catch (error) { /* suggestions are a help, not a requirement */ }
      }
      list.replaceChildren(...options.map(([ref, label]) => el("option", { value: head + ref, text: label })));
    }, 250);
  }

  function codeLabel(code) {
    for (const option of document.querySelectorAll("#cameo-codes option")) {
      if (option.value === code) return option.textContent;
    }
    return code ? code + ": not a CAMEO code" : "";
  }

  function card(claim) {
    const node = el("div", { class: "claim-card " + claim.review, "data-claim": claim.id });
    const rule = claim.rule ? " · rule: " + claim.rule : "";
    node.appendChild(el("h3", { text: "Claim " + claim.id + rule }));
    node.appendChild(el("p", { class: "said", text: claim.paraphrase || "" }));
    if (!claim.span) node.appendChild(el("p", { class: "said", text: "(no span: the coder did not say which characters it coded)" }));
    for (const name of EDITABLE) {
      const id = "field-" + claim.id + "-" + name;
      const input = el("input", {
        id: id, type: "text", value: fieldValue(claim, name), autocomplete: "off",
        "data-field": name, list: name === "event_type" ? "cameo-codes" : "suggest-" + claim.id + "-" + name,
      });
      input.addEventListener("input", () => {
        claim[name] = input.value;
        if (name === "speaker" || name === "targets") suggest(input, list, name);
      });
      input.addEventListener("focus", () => focusClaim(claim.id, false));
      const list = name === "event_type" ? null : suggestionList(claim, name);
      const label = name === "event_type" ? "type" : name;
      node.appendChild(el("label", { for: id, text: label }));
      const cell = el("div", {}, list ? [input, list] : [input]);
      if (name === "event_type") {
        const meaning = el("span", { class: "hint code-label", text: codeLabel(input.value) });
        input.addEventListener("input", () => { meaning.textContent = codeLabel(input.value); });
        cell.appendChild(meaning);
      }
      node.appendChild(cell);
    }
    const select = el("select", { id: "review-" + claim.id, "data-field": "review" },
      STATES.map((s) => el("option", { value: s, text: s })));
    select.value = claim.review || "pending";
    select.addEventListener("change", () => {
      claim.review = select.value;
      node.className = "claim-card " + claim.review;
    });
    node.appendChild(el("label", { for: "review-" + claim.id, text: "review" }));
    node.appendChild(select);
    return node;
  }

  function render() {
    $("review").hidden = false;
    $("download-yaml").hidden = true;
    $("review-problems").hidden = true;
    $("yaml-preview").hidden = true;
    renderText();
    $("claims").replaceChildren(...draft.claims.map(card));
    if (draft.warnings && draft.warnings.length) {
      $("extract-status").title = draft.warnings.join("\n");
    }
  }

  $("accept-all").addEventListener("click", () => {
    for (const claim of draft.claims) {
      if (claim.review === "pending") claim.review = "accepted";
    }
    $("claims").replaceChildren(...draft.claims.map(card));
  });

  // -- the reviewed file --------------------------------------------------------------------
  $("make-yaml").addEventListener("click", async () => {
    $("review-status").textContent = "Checking…";
    const edits = draft.claims.map((c) => {
      const edit = { id: c.id, review: c.review };
      for (const name of EDITABLE) edit[name] = fieldValue(c, name);
      return edit;
    });
    try {
      const result = await call(app.dataset.reviewUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ yaml: draft.yaml, claims: edits }),
      });
      reviewed = result.yaml;
      if (blobUrl) URL.revokeObjectURL(blobUrl);
      blobUrl = URL.createObjectURL(new Blob([result.yaml], { type: "application/yaml" }));
      const link = $("download-yaml");
      link.href = blobUrl;
      link.download = result.filename;
      link.hidden = false;
      const n = result.counts;
      $("review-status").textContent = n.accepted + " accepted, " + n.rejected + " rejected, " +
        n.pending + " pending; " + (result.problems.length ? result.problems.length + " problem(s)." : "the file checks.");
      const list = $("review-problems");
      list.replaceChildren(...result.problems.map((p) => el("li", { text: p })));
      list.hidden = !result.problems.length;
      $("yaml-preview").textContent = result.yaml;
      $("yaml-preview").hidden = false;
    } catch (error) {
      $("review-status").textContent = "";
      showError(error);
    }
  });

  const ingestButton = $("ingest-button");
  if (ingestButton) {
    ingestButton.addEventListener("click", async () => {
      if (reviewed === null) {
        $("ingest-status").textContent = "Make the reviewed YAML first.";
        return;
      }
      $("ingest-status").textContent = "Ingesting…";
      try {
        const result = await call(app.dataset.ingestUrl, {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            Authorization: "Bearer " + $("update-token").value,
          },
          body: JSON.stringify({
            yaml: reviewed,
            accept_machine_coded: $("accept-machine-coded").checked,
            replace: $("replace-article").checked,
          }),
        });
        $("ingest-status").textContent = result.triples + " triples into <" + result.graph + ">.";
      } catch (error) {
        $("ingest-status").textContent = "Not ingested.";
        showError(error);
      }
    });
  }
})();
