/// The offline viewer's page, script and style. Plain HTML, CSS and one classic script: no
/// modules, no fetch or XHR, no workers, no WebAssembly, no network (all refused or absent
/// on file://). Series data arrive as classic scripts calling DICOMFS.series(...).
enum ViewerAssets {
    static let page = """
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="UTF-8">
    <title>DICOM viewer</title>
    <link rel="stylesheet" href="VIEWER.CSS">
    <script src="VIEWER.JS"></script>
    <script src="DATA/INDEX.JS"></script>
    </head>
    <body>
    <div id="browser"><h1>Images</h1><div id="list"></div>
    <p class="notice">Not for diagnostic use. Images may be reduced in size.</p></div>
    <div id="main">
      <div id="toolbar">
        <button id="prev" title="Previous image (Up)">&#9650;</button>
        <input id="slider" type="range" min="0" max="0" value="0">
        <button id="next" title="Next image (Down)">&#9660;</button>
        <button id="cine" title="Play / pause (Space)">Play</button>
        <button id="zoomin" title="Zoom in (+)">+</button>
        <button id="zoomout" title="Zoom out (-)">&minus;</button>
        <button id="reset" title="Fit, reset window (R)">Reset</button>
        <button id="measure" title="Measure a distance: drag on the image (M)">Measure</button>
        <select id="preset" title="Window presets"></select>
        <a href="../INDEX.HTM">Index</a>
      </div>
      <svg width="0" height="0" style="position: absolute"><filter id="wl" color-interpolation-filters="sRGB"><feComponentTransfer>
        <feFuncR id="wlr" type="linear" slope="1" intercept="0"/><feFuncG id="wlg" type="linear" slope="1" intercept="0"/>
        <feFuncB id="wlb" type="linear" slope="1" intercept="0"/></feComponentTransfer></filter></svg>
      <div id="stage"><canvas id="view"></canvas><iframe id="report" title="Report"></iframe>
        <div id="overlay-tl" class="overlay"></div><div id="overlay-tr" class="overlay"></div>
        <div id="overlay-bl" class="overlay"></div><div id="overlay-br" class="overlay"></div>
      </div>
      <p id="help">Wheel or arrow keys: scroll. Left-drag: window/level (Measure: a distance). Shift-drag or right-drag: pan. Ctrl+wheel or +/&minus;: zoom.</p>
    </div>
    </body>
    </html>

    """

    static let style = """
    body { margin: 0; display: flex; height: 100vh; font-family: sans-serif; background: #111; color: #ddd; }
    #browser { width: 260px; overflow-y: auto; padding: 0.5em; border-right: 1px solid #333; }
    #browser h1 { font-size: 1.1em; margin: 0.3em 0; }
    .patient { font-weight: bold; margin-top: 0.8em; } .study { margin: 0.3em 0 0.2em 0.5em; color: #aaa; font-size: 0.9em; }
    .series { display: flex; align-items: center; gap: 0.4em; margin: 0.2em 0 0.2em 0.8em; padding: 0.2em; cursor: pointer; border: 1px solid transparent; }
    .series:hover, .series.current { border-color: #6af; }
    .series img { width: 48px; height: 48px; object-fit: contain; background: #000; }
    .notice { color: #f88; font-size: 0.85em; }
    #main { flex: 1; display: flex; flex-direction: column; min-width: 0; }
    #toolbar { padding: 0.3em; display: flex; gap: 0.3em; align-items: center; border-bottom: 1px solid #333; }
    #toolbar a { color: #6af; margin-left: auto; }
    #toolbar button.on { background: #6af; color: #000; }
    #slider { flex: 1; }
    #stage { flex: 1; position: relative; overflow: hidden; background: #000; }
    #view { position: absolute; left: 0; top: 0; width: 100%; height: 100%; }
    #report { position: absolute; left: 0; top: 0; width: 100%; height: 100%; border: 0; background: #fff; display: none; }
    .series.report { font-weight: bold; }
    .series.report span.doc { display: inline-flex; align-items: center; justify-content: center; width: 34px; height: 42px; margin: 0 7px;
      border: 2px solid #bbb; border-radius: 3px 10px 3px 3px; font-size: 0.7em; color: #fff; background: #345; flex: none; }
    .overlay { position: absolute; font-size: 0.85em; white-space: pre; text-shadow: 1px 1px 1px #000; pointer-events: none; }
    #overlay-tl { left: 0.5em; top: 0.4em; } #overlay-tr { right: 0.5em; top: 0.4em; text-align: right; }
    #overlay-bl { left: 0.5em; bottom: 0.4em; } #overlay-br { right: 0.5em; bottom: 0.4em; text-align: right; color: #f88; }
    #help { margin: 0.2em 0.5em; font-size: 0.8em; color: #888; }

    """

    static let script = #"""
    "use strict";
    // dicomfs offline viewer: series data come as classic scripts (DATA/Rnnnnnnn.JS) calling
    // DICOMFS.series(id, data). A series shows the IHE PDI renderings ("jpeg": window and
    // level act on their grey levels through an SVG filter, no pixel is read back) or, when
    // the disc was made with modality values, those values windowed here ("values", "rgb").
    var DICOMFS = (function () {
      var state = { index: null, series: {}, current: null, frame: 0, center: 0, width: 1,
                    zoom: 1, panX: 0, panY: 0, playing: null, pending: null,
                    measuring: false, line: null, lineText: "", scaleBar: null, edges: null };
      var canvas, ctx, buffer, bufferCtx, image = null;
      var presets = [["File window", null], ["Soft tissue", [40, 400]], ["Lung", [-600, 1500]],
                     ["Bone", [400, 1800]], ["Brain", [40, 80]], ["Full range", "range"]];

      function $(id) { return document.getElementById(id); }
      function text(s) { return document.createTextNode(s == null ? "" : String(s)); }

      function decode(series, k) {
        var f = series.decoded[k];
        if (f) return f;
        var bin = atob(series.frames[k]), bytes = new Uint8Array(bin.length);
        for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
        if (series.kind === "rgb") f = bytes;
        else if (series.type === "f32") f = new Float32Array(bytes.buffer);
        else f = new Int16Array(bytes.buffer);
        series.decoded[k] = f;
        return f;
      }

      function range(series) {
        if (series.range) return series.range;
        var f = decode(series, Math.floor(series.frames.length / 2)), lo = Infinity, hi = -Infinity;
        for (var i = 0; i < f.length; i++) { if (f[i] < lo) lo = f[i]; if (f[i] > hi) hi = f[i]; }
        series.range = [lo, hi];
        return series.range;
      }

      function setWindow(w) {
        var s = state.series[state.current];
        if (s && s.kind === "jpeg") { state.center = 127.5; state.width = 255; return; }   // as rendered
        if (!s || s.kind !== "values") return;
        if (w === null) w = s.window || "range";
        if (w === "range") { var r = range(s); w = [(r[0] + r[1]) / 2, Math.max(1, r[1] - r[0])]; }
        state.center = w[0]; state.width = Math.max(1, w[1]);
      }

      function paintFrame() {
        var s = state.series[state.current];
        if (!s) return;
        if (s.kind === "jpeg") {
          var img = new Image();
          img.onload = function () { image = img; draw(); };
          img.src = s.jpegs[state.frame];
          return;
        }
        var w = s.width, h = s.height, data = decode(s, state.frame);
        buffer.width = w; buffer.height = h;
        var out = bufferCtx.createImageData(w, h), px = out.data, n = w * h;
        if (s.kind === "rgb") {
          for (var i = 0; i < n; i++) { px[4*i] = data[3*i]; px[4*i+1] = data[3*i+1]; px[4*i+2] = data[3*i+2]; px[4*i+3] = 255; }
        } else {
          // PS3.3 C.11.2.1.2 LINEAR window.
          var c = state.center - 0.5, ww = state.width - 1, lo = c - ww / 2, hi = c + ww / 2;
          for (var j = 0; j < n; j++) {
            var x = data[j], y;
            if (x <= lo) y = 0; else if (x > hi) y = 255; else y = ((x - c) / Math.max(ww, 1) + 0.5) * 255;
            if (s.invert) y = 255 - y;
            px[4*j] = px[4*j+1] = px[4*j+2] = y; px[4*j+3] = 255;
          }
        }
        bufferCtx.putImageData(out, 0, 0);
        image = buffer;
        draw();
      }

      function draw() {
        if (!image) return;
        var cw = canvas.clientWidth, ch = canvas.clientHeight;
        if (canvas.width !== cw || canvas.height !== ch) { canvas.width = cw; canvas.height = ch; }
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.fillStyle = "#000"; ctx.fillRect(0, 0, cw, ch);
        var iw = image.width, ih = image.height;
        var fit = Math.min(cw / iw, ch / ih) * state.zoom;
        var ox = (cw - iw * fit) / 2 + state.panX, oy = (ch - ih * fit) / 2 + state.panY;
        var s = state.series[state.current];
        ctx.imageSmoothingEnabled = fit < 1;
        // A window on rendered grey levels: y = (v - (L - W/2)) / W, per channel.
        var windowed = s && s.kind === "jpeg" && (state.center !== 127.5 || state.width !== 255);
        if (windowed) {
          var slope = 255 / state.width, intercept = -(state.center - state.width / 2) / state.width;
          ["wlr", "wlg", "wlb"].forEach(function (id) { $(id).setAttribute("slope", slope); $(id).setAttribute("intercept", intercept); });
          ctx.filter = "url(#wl)";
        }
        ctx.drawImage(image, ox, oy, iw * fit, ih * fit);
        ctx.filter = "none";
        annotate(s, ox, oy, iw, ih, fit, cw, ch);
        overlay();
      }

      // Millimetres per pixel of the picture shown, [along a column, along a row], or null.
      function spacing(s, iw, ih) {
        if (!s || !s.spacing || !s.native) return null;
        return [s.spacing[0] * s.native[1] / ih, s.spacing[1] * s.native[0] / iw];
      }

      function distance(s, iw, ih, l) {
        var mm = spacing(s, iw, ih), dx = l.x1 - l.x0, dy = l.y1 - l.y0;
        if (!mm) return Math.round(Math.sqrt(dx * dx + dy * dy)) + " px (no pixel spacing)";
        return (Math.sqrt(dx * mm[1] * dx * mm[1] + dy * mm[0] * dy * mm[0])).toFixed(1) + " mm" +
          (s.spacingKind === "detector" ? " at the detector" : "");
      }

      // Scale bar, orientation letters and the measured line, drawn over the picture.
      function annotate(s, ox, oy, iw, ih, fit, cw, ch) {
        ctx.save();
        ctx.font = "13px sans-serif"; ctx.fillStyle = "#ff0"; ctx.strokeStyle = "#ff0"; ctx.lineWidth = 1.5;
        ctx.shadowColor = "#000"; ctx.shadowBlur = 2;
        var mm = spacing(s, iw, ih);
        state.scaleBar = null;
        if (mm) {
          var perPixel = mm[1] / fit, steps = [1, 2, 5, 10, 20, 50, 100, 200, 500];
          var length = steps.filter(function (v) { return v / perPixel <= Math.min(160, cw / 3); }).pop() || 1, px = length / perPixel;
          var x = cw - 24 - px, y = ch - 48;
          ctx.beginPath(); ctx.moveTo(x, y - 5); ctx.lineTo(x, y); ctx.lineTo(x + px, y); ctx.lineTo(x + px, y - 5); ctx.stroke();
          ctx.textAlign = "center";
          var label = (length >= 10 ? length / 10 + " cm" : length + " mm") + (s.spacingKind === "detector" ? " (detector)" : "");
          ctx.fillText(label, x + px / 2, y - 8);
          state.scaleBar = { mm: length, px: px };
        }
        state.edges = s && s.edges ? s.edges : null;
        if (state.edges) {
          var cx = Math.min(Math.max(ox + iw * fit / 2, 20), cw - 20), cy = Math.min(Math.max(oy + ih * fit / 2, 20), ch - 20);
          ctx.textAlign = "left"; ctx.fillText(state.edges[0], Math.max(ox, 0) + 6, cy);
          ctx.textAlign = "right"; ctx.fillText(state.edges[1], Math.min(ox + iw * fit, cw) - 6, cy);
          ctx.textAlign = "center"; ctx.fillText(state.edges[2], cx, Math.max(oy, 0) + 18);
          ctx.fillText(state.edges[3], cx, Math.min(oy + ih * fit, ch) - 6);
        }
        if (state.line) {
          var l = state.line;
          ctx.strokeStyle = "#0f0"; ctx.fillStyle = "#0f0";
          ctx.beginPath(); ctx.moveTo(ox + l.x0 * fit, oy + l.y0 * fit); ctx.lineTo(ox + l.x1 * fit, oy + l.y1 * fit); ctx.stroke();
          state.lineText = distance(s, iw, ih, l);
          ctx.textAlign = "left"; ctx.fillText(state.lineText, ox + l.x1 * fit + 6, oy + l.y1 * fit);
        }
        ctx.restore();
        state.geometry = { ox: ox, oy: oy, fit: fit };
      }

      function overlay() {
        var s = state.series[state.current], info = s.info;
        $("overlay-tl").textContent = info.patient + "\n" + info.patientID + "\n" + info.study + (info.institution ? "\n" + info.institution : "");
        $("overlay-tr").textContent = info.series + "\nImage " + s.labels[state.frame] + "  (" + (state.frame + 1) + "/" + s.labels.length + ")";
        $("overlay-bl").textContent = s.kind === "rgb" ? "Colour\nZoom " + state.zoom.toFixed(2) :
          "W " + Math.round(state.width) + "  L " + Math.round(state.center) + (s.kind === "jpeg" ? " (rendered grey levels)" : "") +
          "\nZoom " + state.zoom.toFixed(2);
        $("overlay-br").textContent = "Not for diagnostic use";
      }

      function show(k) {
        var s = state.series[state.current];
        if (!s) return;
        state.frame = Math.max(0, Math.min(s.labels.length - 1, k));
        $("slider").value = state.frame;
        paintFrame();
      }

      function showReport(on) {
        $("report").style.display = on ? "block" : "none";
        $("view").style.display = on ? "none" : "block";
        var o = document.querySelectorAll(".overlay");
        for (var i = 0; i < o.length; i++) o[i].style.display = on ? "none" : "block";
      }

      function openReport(row, r) {
        stopCine();
        state.current = null;
        var items = document.querySelectorAll(".series");
        for (var i = 0; i < items.length; i++) items[i].className = items[i] === row ? items[i].className.replace(" current", "") + " current" : items[i].className.replace(" current", "");
        $("report").src = r.href;
        showReport(true);
      }

      function open(id, info) {
        stopCine();
        showReport(false);
        state.current = id;
        var items = document.querySelectorAll(".series");
        for (var i = 0; i < items.length; i++) {
          var kind = items[i].className.indexOf("report") >= 0 ? "series report" : "series";
          items[i].className = items[i].getAttribute("data-id") === id ? kind + " current" : kind;
        }
        if (state.series[id]) { start(info); return; }
        state.pending = info;
        var tag = document.createElement("script");
        tag.src = "DATA/" + id + ".JS";
        document.head.appendChild(tag);
      }

      function start(info) {
        var s = state.series[state.current];
        if (info) s.info = info;
        $("slider").max = s.labels.length - 1;
        state.zoom = 1; state.panX = 0; state.panY = 0; state.line = null; state.lineText = "";
        setWindow(null);
        show(0);
      }

      function stopCine() { if (state.playing) { clearInterval(state.playing); state.playing = null; $("cine").textContent = "Play"; } }

      function cine() {
        if (state.playing) { stopCine(); return; }
        var s = state.series[state.current];
        if (!s || s.labels.length < 2) return;
        $("cine").textContent = "Pause";
        state.playing = setInterval(function () { show((state.frame + 1) % s.labels.length); }, 100);
      }

      function buildList(index) {
        var list = $("list");
        index.patients.forEach(function (p) {
          var pe = document.createElement("div"); pe.className = "patient";
          pe.appendChild(text((p.name || "(no name)") + (p.id ? "  [" + p.id + "]" : ""))); list.appendChild(pe);
          p.studies.forEach(function (st) {
            var se = document.createElement("div"); se.className = "study";
            se.appendChild(text(st.date + " " + st.description)); list.appendChild(se);
            (st.reports || []).forEach(function (r) {
              var row = document.createElement("div"); row.className = "series report";
              var icon = document.createElement("span"); icon.className = "doc"; icon.textContent = r.pdf ? "PDF" : "SR";
              row.appendChild(icon);
              row.appendChild(text(r.title + (r.pdf ? " (PDF)" : "")));
              row.addEventListener("click", function () { openReport(row, r); });
              list.appendChild(row);
            });
            st.series.forEach(function (r) {
              var row = document.createElement("div"); row.className = "series"; row.setAttribute("data-id", r.id);
              var img = document.createElement("img"); img.src = r.thumb; img.alt = "";
              row.appendChild(img);
              row.appendChild(text(r.modality + " #" + r.number + " " + r.description + " (" + r.frames + ")"));
              var info = { patient: p.name, patientID: [p.id, p.birth ? "born " + p.birth : "", p.sex ? "sex " + p.sex : ""].filter(Boolean).join("  "),
                           study: st.date + " " + st.description, institution: st.institution,
                           series: r.modality + " series " + r.number + " " + r.description };
              row.addEventListener("click", function () { open(r.id, info); });
              list.appendChild(row);
            });
          });
        });
        var first = document.querySelector(".series:not(.report)") || document.querySelector(".series");
        if (first) first.click();
      }

      function wire() {
        canvas = $("view"); ctx = canvas.getContext("2d", { willReadFrequently: true });
        buffer = document.createElement("canvas"); bufferCtx = buffer.getContext("2d");
        var sel = $("preset");
        presets.forEach(function (p, i) { var o = document.createElement("option"); o.value = i; o.textContent = p[0]; sel.appendChild(o); });
        sel.addEventListener("change", function () { setWindow(presets[sel.value][1]); paintFrame(); });
        $("prev").addEventListener("click", function () { show(state.frame - 1); });
        $("next").addEventListener("click", function () { show(state.frame + 1); });
        $("slider").addEventListener("input", function () { show(+this.value); });
        $("cine").addEventListener("click", cine);
        $("zoomin").addEventListener("click", function () { state.zoom *= 1.25; draw(); });
        $("zoomout").addEventListener("click", function () { state.zoom /= 1.25; draw(); });
        $("reset").addEventListener("click", function () { state.zoom = 1; state.panX = state.panY = 0; state.line = null; setWindow(null); paintFrame(); });
        $("measure").addEventListener("click", function () { state.measuring = !state.measuring; this.className = state.measuring ? "on" : ""; });
        canvas.addEventListener("wheel", function (e) {
          e.preventDefault();
          if (e.ctrlKey) { state.zoom *= e.deltaY < 0 ? 1.1 : 1 / 1.1; draw(); } else show(state.frame + (e.deltaY > 0 ? 1 : -1));
        }, { passive: false });
        canvas.addEventListener("contextmenu", function (e) { e.preventDefault(); });
        var drag = null;
        function imagePoint(e) {
          var r = canvas.getBoundingClientRect(), g = state.geometry;
          return { x: (e.clientX - r.left - g.ox) / g.fit, y: (e.clientY - r.top - g.oy) / g.fit };
        }
        canvas.addEventListener("mousedown", function (e) {
          drag = { x: e.clientX, y: e.clientY, pan: e.shiftKey || e.button === 2, c: state.center, w: state.width, px: state.panX, py: state.panY };
          if (state.measuring && !drag.pan && state.geometry) {
            var p = imagePoint(e);
            drag.measure = true; state.line = { x0: p.x, y0: p.y, x1: p.x, y1: p.y };
          }
        });
        window.addEventListener("mouseup", function () { drag = null; });
        window.addEventListener("mousemove", function (e) {
          if (!drag) return;
          var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
          if (drag.pan) { state.panX = drag.px + dx; state.panY = drag.py + dy; draw(); return; }
          if (drag.measure) { var p = imagePoint(e); state.line.x1 = p.x; state.line.y1 = p.y; draw(); return; }
          var s = state.series[state.current];
          if (!s || s.kind === "rgb") return;
          var scale = s.kind === "jpeg" ? 1 : Math.max(1, drag.w / 200);
          state.width = Math.max(1, drag.w + dx * scale); state.center = drag.c + dy * scale;
          paintFrame();
        });
        window.addEventListener("keydown", function (e) {
          if (e.key === "ArrowDown" || e.key === "ArrowRight" || e.key === "PageDown") { show(state.frame + 1); e.preventDefault(); }
          else if (e.key === "ArrowUp" || e.key === "ArrowLeft" || e.key === "PageUp") { show(state.frame - 1); e.preventDefault(); }
          else if (e.key === " ") { cine(); e.preventDefault(); }
          else if (e.key === "+") { state.zoom *= 1.25; draw(); }
          else if (e.key === "-") { state.zoom /= 1.25; draw(); }
          else if (e.key === "r" || e.key === "R") { $("reset").click(); }
          else if (e.key === "m" || e.key === "M") { $("measure").click(); }
        });
        window.addEventListener("resize", draw);
        if (state.index) buildList(state.index);
      }

      document.addEventListener("DOMContentLoaded", wire);

      return {
        state: state,
        index: function (data) { state.index = data; if (document.readyState !== "loading") buildList(data); },
        series: function (id, data) {
          data.decoded = []; data.info = state.pending;
          state.series[id] = data;
          if (state.current === id) start(state.pending);
        },
        show: show,
        setWindow: function (c, w) { state.center = c; state.width = w; paintFrame(); },
        measure: function (x0, y0, x1, y1) { state.line = { x0: x0, y0: y0, x1: x1, y1: y1 }; draw(); return state.lineText; },
        canvas: function () { return canvas; },
        picture: function () { return image ? { width: image.width, height: image.height } : null; }
      };
    })();

    """#
}
