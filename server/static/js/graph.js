/* The interactive graph page: draws a network view with Cytoscape.js, expands nodes on demand.
 *
 * Settings come from the data- attributes of #graph (templates/graph.html); no inline script.
 * Elements are fetched from /export/<view>.cytoscape (server/export.py): with ?actor=IRI for one
 * node's neighbourhood. Labels are only ever shown as text: on the canvas, and with textContent
 * in the side panel, so a label such as "<script>" stays text.
 */
(function () {
  "use strict";

  var box = document.getElementById("graph");
  if (!box || typeof cytoscape !== "function") { return; }
  var status = document.getElementById("graph-status");
  var elementsUrl = box.dataset.elementsUrl;
  var filterQuery = box.dataset.filterQuery || "";
  var focus = box.dataset.focus || "";
  var colours = JSON.parse(box.dataset.colours || "{}");
  var expanded = {};

  var cy = cytoscape({
    container: box,
    style: [
      { selector: "node", style: {
        "label": "data(label)", "font-size": 10, "text-wrap": "ellipsis", "text-max-width": 140,
        "text-valign": "bottom", "text-margin-y": 3, "width": 18, "height": 18,
        "background-color": function (n) { return colours[n.data("kind")] || colours.other || "#ccc"; },
        "border-width": 1, "border-color": "#666" } },
      { selector: "node.focus", style: { "border-width": 3, "border-color": "#c00", "width": 26, "height": 26 } },
      { selector: "node:selected", style: { "border-width": 3, "border-color": "#06c" } },
      { selector: "edge", style: {
        "label": "data(label)", "font-size": 8, "color": "#555", "width": 1, "line-color": "#999",
        "target-arrow-shape": "triangle", "target-arrow-color": "#999", "curve-style": "bezier",
        "text-rotation": "autorotate" } }
    ]
  });
  window.diplographGraph = cy;  // for tests and for the browser console

  function url(actor) {
    var params = [];
    if (filterQuery) { params.push(filterQuery); }
    if (actor) { params.push("actor=" + encodeURIComponent(actor)); }
    return elementsUrl + (params.length ? "?" + params.join("&") : "");
  }

  function say(text) {
    status.textContent = text;
  }

  function counts() {
    say(cy.nodes().length + " nodes, " + cy.edges().length + " edges");
    box.dataset.nodes = String(cy.nodes().length);
    box.dataset.edges = String(cy.edges().length);
  }

  function layout() {
    var name = cy.nodes().length > 300 ? "grid" : "cose";
    cy.layout({ name: name, animate: false, randomize: false, nodeDimensionsIncludeLabels: true,
                fit: true, padding: 20 }).run();
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
        // nodes before edges, so that every edge finds its ends
        cy.add(fresh.filter(function (el) { return !el.data.source; }));
        cy.add(fresh.filter(function (el) { return el.data.source; }));
        if (actor) { expanded[actor] = true; }
        if (focus) { cy.getElementById(focus).addClass("focus"); }
        layout();
        counts();
        box.dataset.ready = "true";
      })
      .catch(function (err) {
        say("Could not load the graph: " + err.message);
        box.dataset.ready = "error";
      });
  }

  function show(node) {
    document.getElementById("graph-details").hidden = false;
    document.getElementById("node-label").textContent = node.data("label");
    document.getElementById("node-kind").textContent = node.data("kind") || "";
    document.getElementById("node-iri").textContent = node.data("iri");
    var open = document.getElementById("node-open");
    open.href = node.data("url") || node.data("iri");
    var here = document.getElementById("node-focus");
    here.href = "?focus=" + encodeURIComponent(node.id());
    var button = document.getElementById("node-expand");
    button.disabled = !!expanded[node.id()];
    button.onclick = function () { load(node.id()); button.disabled = true; };
  }

  cy.on("tap", "node", function (event) { show(event.target); });
  load(focus);
}());
