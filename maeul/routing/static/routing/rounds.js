/* Rounds and area map: Leaflet without a tile server (tiles only when ROUTING_TILE_URL is
   set). Data comes from the page's <script type="application/json" id="map-data">. */
(function () {
  "use strict";

  function data() {
    var node = document.getElementById("map-data");
    return node ? JSON.parse(node.textContent) : null;
  }

  function baseMap(id, d) {
    var map = L.map(id, { zoomSnap: 0.25, attributionControl: !!d.tiles });
    if (d.tiles) {
      L.tileLayer(d.tiles, { maxZoom: 19 }).addTo(map);
    }
    return map;
  }

  function centreMarker(map, d) {
    return L.marker(d.centre, {
      icon: L.divIcon({ className: "map-centre", html: "◆", iconSize: [22, 22] }),
      title: d.centre_label,
    }).addTo(map).bindTooltip(d.centre_label);
  }

  function roundMap(el, d) {
    var map = baseMap(el.id, d);
    centreMarker(map, d);
    var path = [d.centre];
    d.stops.forEach(function (s) {
      if (s.lunch) { path.push(d.centre); return; }
      path.push([s.lat, s.lon]);
      var cls = "map-stop" + (s.emergency ? " emergency" : "") + (s.joint ? " joint" : "");
      L.marker([s.lat, s.lon], {
        icon: L.divIcon({ className: cls, html: String(s.n), iconSize: [26, 26] }),
        title: s.label,
      }).addTo(map).bindTooltip(s.label);
    });
    path.push(d.centre);
    var line = L.polyline(path, { className: "map-route", weight: 3 }).addTo(map);
    function fit() { map.invalidateSize(); map.fitBounds(line.getBounds().pad(0.15)); }
    fit();
    /* the printed map is wider and lower than the screen's: fit the route again */
    window.addEventListener("beforeprint", fit);
    window.addEventListener("afterprint", fit);
    if (window.matchMedia) {
      window.matchMedia("print").addEventListener("change", fit);
    }
  }

  function areaMap(el, d) {
    var map = baseMap(el.id, d);
    var bounds = L.latLngBounds([d.centre, d.centre]);
    if (d.outline && d.outline.length) {
      var outline = L.polygon(d.outline, { className: "map-outline", weight: 2, fill: true }).addTo(map);
      bounds.extend(outline.getBounds());
    }
    centreMarker(map, d);
    var byHousehold = {};
    var layers = {};
    var plain = L.layerGroup();
    d.households.forEach(function (h) {
      byHousehold[h.id] = h;
      bounds.extend([h.lat, h.lon]);
      var names = h.groups.map(function (g) { return d.groups[g] || g; }).join(", ");
      var tip = d.labels.household + " #" + h.id + (names ? " · " + names : "");
      /* one dot per group, so that each group's layer shows all of its households */
      (h.groups.length ? h.groups : [""]).forEach(function (group) {
        var dot = L.circleMarker([h.lat, h.lon], {
          radius: 3, weight: 1, className: "map-hh g-" + (group || "none"),
        }).bindTooltip(tip);
        if (group) {
          layers[group] = layers[group] || L.layerGroup();
          dot.addTo(layers[group]);
        } else {
          dot.addTo(plain);
        }
      });
    });
    var overlays = {};
    Object.keys(layers).sort().forEach(function (g) {
      layers[g].addTo(map);
      overlays['<span class="legend g-' + g + '"></span>' + (d.groups[g] || g)] = layers[g];
    });
    if (d.households.some(function (h) { return !h.groups.length; })) {
      plain.addTo(map);
      overlays['<span class="legend g-none"></span>' + d.labels.other] = plain;
    }
    function ring(items, cls, radius, hidden) {
      var layer = L.layerGroup();
      items.forEach(function (it) {
        var h = byHousehold[it.household];
        if (!h) { return; }
        L.circleMarker([h.lat, h.lon], { radius: radius, weight: 2, fill: false, className: cls })
          .bindTooltip(d.labels.household + " #" + h.id).addTo(layer);
      });
      return hidden ? layer : layer.addTo(map);
    }
    overlays['<span class="legend lead"></span>' + d.labels.leads] = ring(d.leads, "map-lead", 8);
    overlays['<span class="legend overdue"></span>' + d.labels.overdue] = ring(d.overdue, "map-overdue", 6);
    if (d.targets && d.targets.length) {
      overlays['<span class="legend target"></span>' + d.labels.targets] = ring(
        d.targets.filter(function (t) { return !t.reached; }), "map-target", 10, true);
      overlays['<span class="legend reached"></span>' + d.labels.reached] = ring(
        d.targets.filter(function (t) { return t.reached; }), "map-reached", 10, true);
    }
    L.control.layers(null, overlays, { collapsed: window.innerWidth < 700 }).addTo(map);
    map.fitBounds(bounds.pad(0.05));
  }

  document.addEventListener("DOMContentLoaded", function () {
    var d = data();
    var round = document.getElementById("round-map");
    var area = document.getElementById("area-map");
    if (d && round && window.L) { roundMap(round, d); }
    if (d && area && window.L) { areaMap(area, d); }
    document.querySelectorAll(".print-button").forEach(function (b) {
      b.addEventListener("click", function () { window.print(); });
    });
  });
})();
