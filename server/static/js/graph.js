/* The interactive graph page: draws a network view with Cytoscape.js, expands nodes on demand.
 *
 * Settings come from the data- attributes of #graph (templates/graph.html); no inline script.
 * Elements are fetched from /export/<view>.cytoscape (server/export.py), with ?actor=IRI for one
 * node's neighbourhood, large groups of like neighbours already aggregated by the server
 * ("212 memberships") and at most `top` nodes. The fCoSE layout (vendored) places the nodes;
 * a last pass pushes apart any two whose boxes still overlap, so no node hides another. Node
 * size follows degree (an aggregate's by its count). graph-legend.js adds the legend, the
 * filters by kind and link type and the time slider. Labels are only ever shown as text: on the
 * canvas, and with textContent in the side panel, so a label such as "<script>" stays text.
 */
(function () {
  "use strict";

  var box = document.getElementById("graph");
  if (!box || typeof cytoscape !== "function") { return; }
  var status = document.getElementById("graph-status");
  var hiddenNote = document.getElementById("graph-hidden");
  var elementsUrl = box.dataset.elementsUrl;
  var filterQuery = box.dataset.filterQuery || "";
  var focus = box.dataset.focus || "";
  var colours = JSON.parse(box.dataset.colours || "{}");
  var expanded = {};
  var GAP = 6;  // px left between two nodes' boxes

  var cy = cytoscape({
    container: box,
    style: [
      { selector: "node", style: {
        "label": "data(label)", "font-size": 10, "text-wrap": "ellipsis", "text-max-width": 140,
        "text-valign": "bottom", "text-margin-y": 3,
        "width": "data(size)", "height": "data(size)",
        "background-color": function (n) { return colours[n.data("kind")] || colours.other || "#ccc"; },
        "border-width": 1, "border-color": "#666" } },
      { selector: "node[?aggregate]", style: {
        "shape": "round-rectangle", "border-style": "double", "border-width": 3,
        "font-weight": "bold" } },
      { selector: "node.focus", style: { "border-width": 3, "border-color": "#c00" } },
      { selector: "node:selected", style: { "border-width": 3, "border-color": "#06c" } },
      { selector: ".filtered", style: { "display": "none" } },
      { selector: "edge", style: {
        "label": "data(label)", "font-size": 8, "color": "#555", "width": 1, "line-color": "#999",
        "target-arrow-shape": "triangle", "target-arrow-color": "#999", "curve-style": "bezier",
        "text-rotation": "autorotate" } },
      { selector: "edge[count]", style: { "width": 3 } }
    ]
  });
  window.diplographGraph = cy;  // for tests and for the browser console

  var legend = new window.DiplographLegend(cy, { colours: colours, focus: focus });
  window.diplographLegend = legend;  // for tests and for the browser console
  legend.onApply = function (visible) { counts(visible); };

  function url(actor) {
    var params = [];
    if (filterQuery) { params.push(filterQuery); }
    if (actor) { params.push("actor=" + encodeURIComponent(actor)); }
    return elementsUrl + (params.length ? "?" + params.join("&") : "");
  }

  function say(text) {
    status.textContent = text;
  }

  function counts(visible) {
    var n = cy.nodes().length;
    var shown = visible === undefined || visible === n ? "" : " (" + visible + " shown)";
    say(n + " nodes, " + cy.edges().length + " edges" + shown);
    box.dataset.nodes = String(n);
    box.dataset.edges = String(cy.edges().length);
  }

  function sizeNodes() {
    cy.nodes().forEach(function (n) {
      var weight = n.data("count") || n.degree(false);
      n.data("size", Math.round(Math.min(64, 16 + 7 * Math.log2(1 + weight))));
    });
  }

  /* Push apart two items whose boxes overlap, along the axis that needs less; true if moved. */
  function pushApart(a, b) {
    var dx = b.x - a.x;
    var dy = b.y - a.y;
    var ox = a.hw + b.hw - Math.abs(dx);
    var oy = a.hh + b.hh - Math.abs(dy);
    if (ox <= 0 || oy <= 0) { return false; }
    if (ox < oy) {
      var sx = (dx >= 0 ? 1 : -1) * (ox / 2 + 0.5);
      a.x -= sx; b.x += sx;
    } else {
      var sy = (dy >= 0 ? 1 : -1) * (oy / 2 + 0.5);
      a.y -= sy; b.y += sy;
    }
    return true;
  }

  /* One round over the pairs that can overlap: items are put in a grid of cells as large as the
   * largest box, so each is compared only with those in its own and the next cells. */
  function separateRound(items, cell) {
    var grid = {};
    items.forEach(function (it, i) {
      var key = Math.floor(it.x / cell) + "," + Math.floor(it.y / cell);
      (grid[key] = grid[key] || []).push(i);
    });
    var moved = false;
    items.forEach(function (a, i) {
      var cx = Math.floor(a.x / cell);
      var cy0 = Math.floor(a.y / cell);
      for (var gx = cx - 1; gx <= cx + 1; gx++) {
        for (var gy = cy0 - 1; gy <= cy0 + 1; gy++) {
          (grid[gx + "," + gy] || []).forEach(function (j) {
            if (j > i && pushApart(a, items[j])) { moved = true; }
          });
        }
      }
    });
    return moved;
  }

  /* Push apart every two visible nodes whose boxes (with GAP) overlap, until none do. */
  function separate() {
    var nodes = cy.nodes().filter(function (n) { return !n.hasClass("filtered"); });
    var cell = 1;
    var items = nodes.map(function (n) {
      var bb = n.boundingBox({ includeLabels: false, includeOverlays: false });
      var p = n.position();
      cell = Math.max(cell, bb.w + GAP, bb.h + GAP);
      return { node: n, x: p.x, y: p.y, hw: bb.w / 2 + GAP / 2, hh: bb.h / 2 + GAP / 2 };
    });
    for (var round = 0; round < 500 && separateRound(items, cell); round++) { /* again */ }
    cy.batch(function () {
      items.forEach(function (it) { it.node.position({ x: it.x, y: it.y }); });
    });
  }

  function layout(incremental) {
    var started = performance.now();
    return new Promise(function (resolve) {
      var run = cy.layout({
        name: cy.nodes().length > 1 ? "fcose" : "grid",
        quality: cy.nodes().length > 600 ? "draft" : "default",
        randomize: !incremental, animate: false, fit: false,
        nodeDimensionsIncludeLabels: true, packComponents: true,
        nodeRepulsion: function () { return 9000; },
        idealEdgeLength: function () { return 90; },
        nodeSeparation: 90, padding: 20
      });
      run.one("layoutstop", function () {
        var placed = performance.now();
        separate();
        cy.fit(undefined, 20);
        box.dataset.layoutMs = String(Math.round(placed - started));
        box.dataset.separateMs = String(Math.round(performance.now() - placed));
        resolve();
      });
      run.run();
    });
  }

  function load(actor) {
    say("Loading…");
    return fetch(url(actor), { headers: { "Accept": "application/json" } })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) { throw new Error(body.error || ("HTTP " + response.status)); }
          return body;
        });
      })
      .then(function (body) {
        var fresh = [];
        body.elements.nodes.concat(body.elements.edges).forEach(function (el) {
          if (cy.getElementById(el.data.id).empty()) { fresh.push(el); }
        });
        var incremental = cy.nodes().length > 0;
        // nodes before edges, so that every edge finds its ends
        cy.add(fresh.filter(function (el) { return !el.data.source; }));
        cy.add(fresh.filter(function (el) { return el.data.source; }));
        if (actor) { expanded[actor] = true; }
        if (focus) { cy.getElementById(focus).addClass("focus"); }
        var hidden = (body.data && body.data.hidden_nodes) || 0;
        hiddenNote.hidden = !hidden;
        hiddenNote.textContent = hidden ? "Showing the best-connected nodes: " + hidden +
          " more are left out. Focus on one node, or raise “At most”, to see them." : "";
        sizeNodes();
        legend.refresh();
        return layout(incremental);
      })
      .then(function () {
        counts(cy.nodes().filter(function (n) { return !n.hasClass("filtered"); }).length);
        box.dataset.ready = "true";
      })
      .catch(function (err) {
        say("Could not load the graph: " + err.message);
        box.dataset.ready = "error";
      });
  }

  function showSample(node) {
    var list = document.getElementById("node-sample");
    list.textContent = "";
    (node.data("sample") || []).forEach(function (text) {
      var li = document.createElement("li");
      li.textContent = text;
      list.appendChild(li);
    });
    if (node.data("count") > (node.data("sample") || []).length) {
      var more = document.createElement("li");
      more.textContent = "…";
      list.appendChild(more);
    }
    list.hidden = !node.data("aggregate");
  }

  function show(node) {
    var aggregate = !!node.data("aggregate");
    document.getElementById("graph-details").hidden = false;
    document.getElementById("node-label").textContent = node.data("label");
    document.getElementById("node-kind").textContent = node.data("kind") || "";
    document.getElementById("node-iri").textContent = aggregate ? "" : node.data("iri");
    showSample(node);
    var open = document.getElementById("node-open");
    open.hidden = aggregate;
    open.href = aggregate ? "#" : (node.data("url") || node.data("iri"));
    var here = document.getElementById("node-focus");
    here.hidden = aggregate;
    here.href = "?focus=" + encodeURIComponent(node.id());
    var button = document.getElementById("node-expand");
    button.disabled = aggregate || !!expanded[node.id()];
    button.onclick = function () { load(node.id()); button.disabled = true; };
  }

  cy.on("tap", "node", function (event) { show(event.target); });
  load(focus);
}());
