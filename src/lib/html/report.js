// drip report: the page's script (inlined; allowed by its hash).  It
// reads the JSON document in #data, whose numbers and formatted values
// were computed by drip's engine, and draws the sections: summary, top
// table, flame graph (icicle, zoom, search, sandwich), call graph,
// goroutine groups, leaks.  No network, no libraries; strings from the
// profiles only ever go through textContent.
"use strict";
(function () {
	const D = JSON.parse(document.getElementById("data").textContent);
	const app = document.getElementById("app");
	const state = { type: D.sample_index, sortCol: -1, sortDir: 0, filter: "", inverted: false, zoom: null,
		search: "", sandwich: null };
	const api = {}; // for tests and the console: window.dripReport
	window.dripReport = api;

	function el(tag, attrs, kids) {
		const e = document.createElement(tag);
		if (attrs) for (const k in attrs) {
			if (k === "text") e.textContent = attrs[k];
			else if (k === "cls") e.className = attrs[k];
			else if (k.slice(0, 2) === "on") e.addEventListener(k.slice(2), attrs[k]);
			else e.setAttribute(k, attrs[k]);
		}
		if (kids) for (const c of kids) if (c !== null && c !== undefined) e.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
		return e;
	}
	const SVGNS = "http://www.w3.org/2000/svg";
	function sv(tag, attrs) {
		const e = document.createElementNS(SVGNS, tag);
		if (attrs) for (const k in attrs) {
			if (k === "text") e.textContent = attrs[k];
			else e.setAttribute(k, attrs[k]);
		}
		return e;
	}
	function compileRe(s) {
		if (!s) return null;
		try { return new RegExp(s); } catch (e) { return undefined; }
	}
	// Values as drip prints them with --unit=auto (pprof's scaling).
	function fmtValue(v, unit) {
		const a = Math.abs(v), u = (unit || "").toLowerCase();
		const scales = u === "bytes" || u === "b" ?
			[[1 << 30, "GB"], [1 << 20, "MB"], [1024, "kB"], [1, "B"]] :
			u === "nanoseconds" || u === "ns" ?
			[[3600e9, "hrs"], [60e9, "mins"], [1e9, "s"], [1e6, "ms"], [1e3, "us"], [1, "ns"]] : null;
		if (!scales) return String(v);
		for (const [m, n] of scales) if (a >= m || m === 1) {
			const x = v / m;
			if (Number.isInteger(x)) return String(x) + n;
			// two decimals as C's printf rounds them: an exact tie goes
			// to the even digit (140.625 -> 140.62), as drip prints it
			const y = Math.abs(x) * 100, f = Math.floor(y), d = y - f;
			const r = d > 0.5 ? f + 1 : d < 0.5 ? f : f % 2 === 0 ? f : f + 1;
			return (x < 0 ? "-" : "") + (r / 100).toFixed(2) + n;
		}
		return String(v);
	}
	function pct(v, t) { return t ? (Math.abs(v) / Math.abs(t) * 100).toFixed(2) + "%" : "0%"; }

	const hasDiff = !!D.diff;
	const ROW_LIMIT = 300;
	const tables = hasDiff ? D.diff : D.top;
	const types = tables.map((t) => t.type);

	// ---- page frame ----
	const sections = [];
	function section(id, title) {
		const s = el("section", { id: id }, [el("h2", { text: title })]);
		sections.push([id, title]);
		return s;
	}
	const typeSel = el("select", { id: "stype", onchange: () => { state.type = +typeSel.value; renderAll(); } },
		types.map((t, i) => el("option", { value: String(i), text: t })));
	typeSel.value = String(state.type);
	const nav = el("nav");
	app.appendChild(el("header", { cls: "top" }, [el("h1", { text: D.title }), nav,
		el("label", { text: "Sample type " }, [typeSel])]));
	const main = el("main");
	app.appendChild(main);

	// ---- 1 summary ----
	function summarySection() {
		const s = section("summary", "Summary");
		for (const w of D.warnings) s.appendChild(el("div", { cls: "warn", text: "Warning: " + w }));
		const opts = ["granularity " + D.granularity, "nodecount " + (D.nodecount < 0 ? "all" : D.nodecount),
			"nodefraction " + D.nodefraction, "graph nodes " + D.graph_nodecount,
			"flame minwidth " + D.flame.minwidth + "%"];
		if (D.cum) opts.push("sorted by cum");
		for (const k in D.filters) opts.push(k + "=" + D.filters[k]);
		const newest = D.inputs.length > 1 && D.files.length === 1 && !D.base_files;
		if (D.watch) s.appendChild(el("p", { cls: "note", id: "watch-note" }, ["Written by drip watch after round " + D.watch.round +
			" (rewritten after every round; reload for the newest)" + (D.watch.url ? " of " : ""),
			D.watch.url ? el("code", { text: D.watch.url }) : null, D.watch.dir ? "; snapshots in " : "",
			D.watch.dir ? el("code", { text: D.watch.dir }) : null, "."]));
		s.appendChild(el("p", { cls: "note" }, ["Tables and graphs of ", el("code", { text: D.files.join(" ") }),
			newest ? " (the newest of the " + D.inputs.length + " snapshots" + (D.watch ? ")" : "; --merge merges them)") : "",
			D.base_files ? " against the base " : "", D.base_files ? el("code", { text: D.base_files.join(" ") }) : null,
			". Options: " + opts.join(", ") + "."]));
		const rows = [];
		const add = (list, role) => list.forEach((p) => rows.push([role, p]));
		if (D.bases) add(D.bases, "base");
		add(D.inputs, D.bases ? "new" : "");
		// files in one folder: the folder once, above the table
		let dir = "";
		if (rows.length > 1) {
			dir = rows[0][1].file.slice(0, rows[0][1].file.lastIndexOf("/") + 1);
			for (const [, p] of rows) while (dir && !p.file.startsWith(dir)) dir = dir.slice(0, dir.lastIndexOf("/", dir.length - 2) + 1);
		}
		if (dir) s.appendChild(el("p", { cls: "note" }, ["Files in ", el("code", { text: dir }), ":"]));
		const head = ["file", "format", "time", "duration", "period", "samples", "sample types (totals)"];
		if (D.bases) head.unshift("");
		const tb = el("tbody");
		for (const [role, p] of rows) {
			const tds = [];
			if (D.bases) tds.push(el("td", { text: role }));
			// a line breaks between the sample types only, never inside a
			// path, a time or a period
			tds.push(el("td", { cls: "mono nw", text: p.file.slice(dir.length), title: p.file }), el("td", { text: p.format }), el("td", { cls: "nw", text: p.time || "" }),
				el("td", { cls: "nw", text: p.duration || "" }),
				el("td", { cls: "nw", text: p.period !== undefined ? p.period + " " + p.period_type + " " + p.period_unit : "" }),
				el("td", { cls: "num", text: String(p.samples) }),
				el("td", { cls: "types" }, p.types.map((t, i) => el("span", null, [i ? ", " : "", el("span", { cls: "nw" }, [el("b", { text: t.type }),
					" " + t.fmt + (t.unit ? " (" + t.unit + ")" : "") + (t.default ? " [default]" : "")])]))));
			tb.appendChild(el("tr", null, tds));
		}
		s.appendChild(el("div", { cls: "tablewrap" }, [el("table", { cls: "t summary" },
			[el("thead", null, [el("tr", null, head.map((h) => el("th", { text: h })))]), tb])]));
		if (D.inputs.length >= 2) {
			s.appendChild(el("h3", { text: "Totals over the series" }));
			const c = el("div", { id: "series-chart" });
			s.appendChild(c);
			api.drawSeries = () => drawSeries(c);
		}
		return s;
	}
	function drawSeries(c) {
		c.textContent = "";
		const t = types[state.type];
		const pts = D.inputs.map((p, i) => {
			const ty = p.types.find((x) => x.type === t);
			return { x: i, v: ty ? ty.total : 0, unit: ty ? ty.unit : "", label: "#" + (i + 1) + " " + p.file + (p.time ? " " + p.time : "") };
		});
		c.appendChild(lineChart(pts, 640, 180, t));
	}
	function lineChart(pts, W, H, title) {
		const svg = sv("svg", { width: W, height: H, viewBox: "0 0 " + W + " " + H, class: "chart" });
		const L = 70, R = 12, T = 16, B = 34;
		const max = Math.max(1, ...pts.map((p) => p.v)), min = Math.min(0, ...pts.map((p) => p.v));
		const X = (i) => L + (pts.length > 1 ? i * (W - L - R) / (pts.length - 1) : (W - L - R) / 2);
		const Y = (v) => T + (H - T - B) * (1 - (v - min) / (max - min || 1));
		svg.appendChild(sv("line", { x1: L, y1: Y(min), x2: W - R, y2: Y(min), class: "axis" }));
		svg.appendChild(sv("line", { x1: L, y1: T, x2: L, y2: H - B, class: "axis" }));
		svg.appendChild(sv("text", { x: L - 6, y: Y(max) + 4, "text-anchor": "end", text: fmtValue(max, pts[0].unit) }));
		svg.appendChild(sv("text", { x: L - 6, y: Y(min) + 4, "text-anchor": "end", text: fmtValue(min, pts[0].unit) }));
		svg.appendChild(sv("text", { x: L, y: 11, text: title }));
		svg.appendChild(sv("polyline", { class: "line", points: pts.map((p, i) => X(i) + "," + Y(p.v)).join(" ") }));
		pts.forEach((p, i) => {
			const d = sv("circle", { cx: X(i), cy: Y(p.v), r: 3, class: "dot" });
			d.appendChild(sv("title", { text: p.label + ": " + fmtValue(p.v, p.unit) }));
			svg.appendChild(d);
		});
		// snapshot numbers under the points (every k-th when crowded);
		// the full label is each point's tooltip
		const step = Math.max(1, Math.ceil(pts.length * 28 / (W - L - R)));
		pts.forEach((p, i) => {
			if (i % step === 0 || i === pts.length - 1)
				svg.appendChild(sv("text", { x: X(i), y: H - 18, "text-anchor": "middle", text: "#" + (i + 1) }));
		});
		svg.appendChild(sv("text", { x: L, y: H - 4, text: "snapshot (hover a point for its file and time)" }));
		return svg;
	}

	// ---- 2 top / diff table ----
	function topSection() {
		const s = section("top", hasDiff ? "Top: base, new and delta" : "Top");
		const hdr = el("pre", { cls: "hdr", id: "top-header" });
		const re = el("input", { type: "search", id: "top-filter", placeholder: "regex filter on names", oninput: () => {
			state.filter = re.value; api.renderTop();
		} });
		const count = el("span", { cls: "note", id: "top-count" });
		s.appendChild(el("div", { cls: "controls" }, [re, count,
			el("span", { cls: "note", text: "Click a column to sort, a name for its sandwich view." })]));
		s.appendChild(hdr);
		const wrap = el("div", { cls: "tablewrap" });
		s.appendChild(wrap);
		api.renderTop = () => renderTop(hdr, wrap, count, re);
		return s;
	}
	const topCols = hasDiff ?
		[["base", 4, 1], ["new", 5, 2], ["delta", 6, 3], ["delta%", 7, 3], ["name", 0, 0]] :
		[["flat", 3, 1], ["flat%", 4, 1], ["sum%", 5, -1], ["cum", 6, 2], ["cum%", 7, 2], ["name", 0, 0]];
	let topRows = [];
	function renderTop(hdr, wrap, count, re) {
		const t = tables[state.type];
		hdr.textContent = (hasDiff ? "Base: " + D.base_files.join(", ") + "\nNew:  " + D.files.join(", ") + "\n" : "") +
			t.header.replace(/\n$/, "") + (hasDiff && t.hidden_rows ? "\n(" + t.hidden_rows + " row" +
			(t.hidden_rows === 1 ? "" : "s") + " zero on both sides not shown)" : "");
		const thead = el("tr", null, topCols.map(([name, , key], ci) => {
			const th = el("th", { text: name, "data-col": String(ci) });
			if (key !== undefined) {
				th.className = "sortable";
				th.addEventListener("click", () => {
					// numbers: descending, ascending, report order; names: A-Z, Z-A, report order
					const d0 = name === "name" ? 1 : -1;
					if (state.sortCol !== ci) { state.sortCol = ci; state.sortDir = d0; }
					else state.sortDir = state.sortDir === d0 ? -d0 : state.sortDir === -d0 ? 0 : d0;
					renderTop(hdr, wrap, count, re);
				});
				if (state.sortCol === ci && state.sortDir) th.classList.add(state.sortDir > 0 ? "asc" : "desc");
			}
			return th;
		}));
		const rx = compileRe(state.filter);
		re.classList.toggle("bad", rx === undefined);
		const order = [];
		t.rows.forEach((r, i) => { if (!rx || rx.test(r[0])) order.push(i); });
		if (state.sortCol >= 0 && state.sortDir) {
			const [name, , key] = topCols[state.sortCol], dir = state.sortDir;
			order.sort((a, b) => {
				const ra = t.rows[a], rb = t.rows[b];
				let c;
				if (key === 0) c = ra[0] < rb[0] ? -1 : ra[0] > rb[0] ? 1 : 0;
				else if (key === -1) c = a - b; // sum% follows the report order
				else if (name === "delta%") c = Math.abs(ra[key]) - Math.abs(rb[key]);
				else c = ra[key] - rb[key];
				return c * dir || a - b;
			});
		}
		const tb = el("tbody");
		topRows = [];
		// rows are made for the first LIMIT in the current order (the
		// rest on "show all"), so a long table does not slow the page
		const limit = state.showAll ? order.length : Math.min(order.length, ROW_LIMIT);
		for (const i of order.slice(0, limit)) {
			const r = t.rows[i];
			const tds = topCols.map(([name, idx]) => {
				if (name === "name") {
					const nm = el("span", { cls: "fn", text: r[0], title: "sandwich view of this function" });
					nm.addEventListener("click", () => openSandwich(r[0].replace(/ \((partial-)?inline\)$/, "")));
					const kids = [nm];
					if (hasDiff && r[8]) kids.push(el("span", { cls: "tag " + r[8], text: r[8] }));
					return el("td", { cls: "name" }, kids);
				}
				const td = el("td", { cls: "num", text: r[idx] });
				if (hasDiff && (name === "delta" || name === "delta%")) td.className += r[3] > 0 ? " grew" : r[3] < 0 ? " shrank" : "";
				return td;
			});
			const tr = el("tr", null, tds);
			tr.dataset.name = r[0];
			topRows.push(tr);
			tb.appendChild(tr);
		}
		if (hasDiff) {
			const tt = el("tr", null, [t.totals[0], t.totals[1], t.totals[2], t.totals[3], "(total)"].map((x, k) =>
				el("td", { cls: k < 4 ? "num" : "name", text: x })));
			tt.dataset.total = "1";
			tb.appendChild(tt);
		}
		wrap.textContent = "";
		wrap.appendChild(el("table", { cls: "t", id: "top-table" }, [el("thead", null, [thead]), tb]));
		if (limit < order.length) wrap.appendChild(el("button", { id: "top-all", text: "Show all " + order.length + " rows (" +
			(order.length - limit) + " more)", onclick: () => { state.showAll = true; renderTop(hdr, wrap, count, re); } }));
		count.textContent = order.length + " of " + t.rows.length + " rows" + (limit < order.length ? ", the first " + limit + " drawn" : "");
	}

	// ---- 3 flame graph ----
	const F = D.flame;
	// nodes in pre-order: parent from the depths
	const fn = F.d.length, fparent = new Int32Array(fn), fkids = [];
	{
		const stack = [];
		for (let i = 0; i < fn; i++) {
			fkids.push([]);
			const d = F.d[i];
			stack.length = d;
			fparent[i] = d ? stack[d - 1] : -1;
			if (d) fkids[stack[d - 1]].push(i);
			stack.push(i);
		}
	}
	function colOf(side) {
		const t = types[state.type];
		return F.cols.findIndex((c) => c.type === t && c.side === (hasDiff ? side : ""));
	}
	// A tree for drawing: {name, v (width), b (base, diff only), ch}
	function buildTree() {
		const cn = colOf("new"), cb = hasDiff ? colOf("base") : -1;
		const nodes = new Array(fn);
		for (let i = fn - 1; i >= 0; i--) {
			const ch = [];
			for (const k of fkids[i]) if (nodes[k].v > 0) ch.push(nodes[k]);
			nodes[i] = { name: i ? F.names[F.n[i]] : "root", v: F.v[cn][i], b: cb >= 0 ? F.v[cb][i] : 0, ch: ch, parent: null };
		}
		for (let i = 0; i < fn; i++) for (const c of nodes[i].ch) c.parent = nodes[i];
		return nodes[0];
	}
	function hashStr(s) {
		let h = 2166136261;
		for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 16777619); }
		return h >>> 0;
	}
	function pkgOf(name) {
		const slash = name.lastIndexOf("/");
		const dot = name.indexOf(".", slash + 1);
		return dot > 0 ? name.slice(0, dot) : name;
	}
	function frameColor(n, re, diffScale) {
		if (n.name === F.narrow) return "rgb(200,200,200)";
		if (re && re.test(n.name)) return "rgb(230,0,230)";
		if (hasDiff && diffScale) {
			const d = n.sd || 0;
			const x = Math.min(1, Math.abs(d) / diffScale);
			const c = Math.round(235 - 175 * x);
			return d > 0 ? "rgb(250," + c + "," + c + ")" : d < 0 ? "rgb(" + c + "," + c + ",250)" : "rgb(235,235,235)";
		}
		const h = hashStr(pkgOf(n.name));
		return "hsl(" + (10 + h % 40) + "," + (65 + (h >> 8) % 25) + "%," + (52 + (h >> 16) % 14) + "%)";
	}

	// draw(canvas, root, opts): a flame (or icicle) chart of root's tree.
	// opts: {inverted, zoom (a node in the tree), re, total, onclick}
	function FlameView(canvas, tip) {
		const ROW = 18;
		const self = { rects: [], root: null, opts: null };
		self.draw = function (root, opts) {
			self.root = root; self.opts = opts;
			const zoom = opts.zoom || root;
			const ancestors = [];
			for (let a = zoom.parent; a; a = a.parent) ancestors.unshift(a);
			const W = canvas.clientWidth || 1200;
			// lay out first (frames under 1 px are left out with their
			// children), so the canvas is as tall as what is drawn
			const boxes = [];
			let rows = 0;
			ancestors.forEach((a, d) => boxes.push([a, 0, W, d]));
			(function walk(n, x, w, d) {
				boxes.push([n, x, w, d]);
				if (d + 1 > rows) rows = d + 1;
				let cx = x;
				for (const c of n.ch) {
					const cw = n.v ? w * c.v / n.v : 0;
					if (cw >= 1) walk(c, cx, cw, d + 1);
					cx += cw;
				}
			})(zoom, 0, W, ancestors.length);
			const H = Math.max(rows, 1) * ROW + 2;
			const dpr = window.devicePixelRatio || 1;
			canvas.width = Math.round(W * dpr); canvas.height = Math.round(H * dpr);
			canvas.style.height = H + "px";
			const ctx = canvas.getContext("2d");
			ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
			ctx.clearRect(0, 0, W, H);
			ctx.font = "12px monospace";
			ctx.textBaseline = "middle";
			let diffScale = 0;
			// a diff colours each frame by the change of its self value
			if (hasDiff) (function scan(n) {
				let d = n.v - n.b;
				// a sandwich's trees are merged paths: colour by the total change
				for (const c of n.ch) { if (!opts.totalDelta) d -= c.v - c.b; scan(c); }
				n.sd = d;
				diffScale = Math.max(diffScale, Math.abs(d));
			})(zoom);
			const cw = ctx.measureText("M").width || 7.2;
			const rects = [];
			for (const [n, x, w, d] of boxes) {
				const y = opts.inverted ? d * ROW : H - (d + 1) * ROW;
				ctx.fillStyle = frameColor(n, opts.re, diffScale);
				if (d < ancestors.length) ctx.globalAlpha = 0.6;
				ctx.fillRect(x, y, Math.max(w - 0.5, 0.5), ROW - 1);
				ctx.globalAlpha = 1;
				if (w > 3 * cw) {
					ctx.fillStyle = "#111";
					const maxc = Math.floor((w - 6) / cw);
					const txt = n.name.length > maxc ? n.name.slice(0, Math.max(maxc - 2, 1)) + ".." : n.name;
					ctx.fillText(txt, x + 3, y + ROW / 2);
				}
				rects.push({ n: n, x: x, y: y, w: w, h: ROW - 1 });
			}
			self.rects = rects;
		};
		function hit(ev) {
			const r = canvas.getBoundingClientRect(), x = ev.clientX - r.left, y = ev.clientY - r.top;
			for (let i = self.rects.length - 1; i >= 0; i--) {
				const q = self.rects[i];
				if (x >= q.x && x < q.x + q.w && y >= q.y && y < q.y + q.h) return q.n;
			}
			return null;
		}
		canvas.addEventListener("mousemove", (ev) => {
			const n = hit(ev);
			if (!n) { tip.style.display = "none"; return; }
			const unit = self.opts.unit, t = self.opts.total;
			let s = n.name + "\n" + fmtValue(n.v, unit) + " (" + pct(n.v, t) + ")";
			if (hasDiff) s = n.name + "\nbase " + fmtValue(n.b, unit) + " \u2192 new " + fmtValue(n.v, unit) +
				" (" + (n.v - n.b >= 0 ? "+" : "") + fmtValue(n.v - n.b, unit) + ")";
			tip.textContent = s;
			tip.style.whiteSpace = "pre-wrap";
			tip.style.display = "block";
			tip.style.left = Math.min(ev.clientX + 12, window.innerWidth - 400) + "px";
			tip.style.top = (ev.clientY + 14) + "px";
		});
		canvas.addEventListener("mouseleave", () => { tip.style.display = "none"; });
		canvas.addEventListener("click", (ev) => { const n = hit(ev); if (n && self.opts.onclick) self.opts.onclick(n, ev); });
		self.rectOf = (pred) => {
			const r = canvas.getBoundingClientRect();
			for (const q of self.rects) if (pred(q.n)) return { x: r.left + q.x + q.w / 2, y: r.top + q.y + q.h / 2, w: q.w, name: q.n.name };
			return null;
		};
		return self;
	}

	let ftree = null;
	function flameSection() {
		const s = section("flame", hasDiff ? "Flame graph: differential (widths: NEW; red: self grew, blue: shrank)" : "Flame graph");
		const tip = el("div", { cls: "tip" });
		document.body.appendChild(tip);
		const bFlame = el("button", { id: "flame-mode-flame", text: "Flame", onclick: () => { state.inverted = false; drawFlame(); } });
		const bIcicle = el("button", { id: "flame-mode-icicle", text: "Icicle", onclick: () => { state.inverted = true; drawFlame(); } });
		const bReset = el("button", { id: "flame-reset", text: "Reset zoom", onclick: () => { state.zoom = null; drawFlame(); } });
		const search = el("input", { type: "search", id: "flame-search", placeholder: "search (regex)", oninput: () => {
			state.search = search.value; drawFlame();
		} });
		const matched = el("span", { id: "flame-matched", cls: "note" });
		const crumbs = el("div", { cls: "crumbs", id: "flame-crumbs" });
		s.appendChild(el("div", { cls: "controls" }, [bFlame, bIcicle, bReset, search, matched]));
		s.appendChild(crumbs);
		const canvas = el("canvas", { id: "flame-canvas" });
		s.appendChild(el("div", { cls: "canvaswrap" }, [canvas]));
		const prunedNote = el("p", { cls: "note", id: "flame-pruned" });
		s.appendChild(prunedNote);
		const view = FlameView(canvas, tip);
		// sandwich
		const sw = el("div", { cls: "sandwich", id: "sandwich" });
		const swIn = el("input", { type: "text", id: "sandwich-input", placeholder: "function name", list: "sandwich-names" });
		const dl = el("datalist", { id: "sandwich-names" }, F.names.map((n) => el("option", { value: n })));
		const swGo = el("button", { id: "sandwich-go", text: "Sandwich", onclick: () => openSandwich(swIn.value) });
		const swInfo = el("span", { id: "sandwich-info", cls: "note" });
		const swUp = el("canvas", { id: "sandwich-callers" }), swDown = el("canvas", { id: "sandwich-callees" });
		const upView = FlameView(swUp, tip), downView = FlameView(swDown, tip);
		sw.appendChild(el("h3", { text: "Sandwich view: callers above, callees below, merged over every occurrence" }));
		sw.appendChild(el("div", { cls: "controls" }, [swIn, dl, swGo, swInfo]));
		sw.appendChild(el("div", { cls: "note", text: "\u2191 callers (who calls it, up to the root)" }));
		sw.appendChild(el("div", { cls: "canvaswrap" }, [swUp]));
		sw.appendChild(el("div", { cls: "canvaswrap" }, [swDown]));
		sw.appendChild(el("div", { cls: "note", text: "\u2193 callees (what it calls)" }));
		s.appendChild(sw);

		function drawFlame() {
			prunedNote.textContent = F.frames + " frames. " + (F.dropped ? F.dropped + " narrow frames (each under " + F.minwidth +
				"% of the total, --minwidth) are merged into grey \u201c" + F.narrow + "\u201d frames, where their stacks go on; " +
				"search and sandwich do not see their names. " : "") +
				"Click a frame to zoom, shift-click it (or click a name in the top table) for its sandwich view." +
				(hasDiff ? " Frames only in BASE have no width here; the table lists them as gone." : "");
			bFlame.classList.toggle("on", !state.inverted);
			bIcicle.classList.toggle("on", state.inverted);
			const rx = compileRe(state.search);
			search.classList.toggle("bad", rx === undefined);
			const unit = tables[state.type].unit, total = ftree.v;
			view.draw(ftree, { inverted: state.inverted, zoom: state.zoom, re: rx || null, unit: unit, total: total,
				onclick: (n, ev) => {
					if (ev.shiftKey) { openSandwich(n.name); return; }
					state.zoom = n === ftree ? null : n; drawFlame();
				} });
			// matched share: frames matching, not counting those under a match
			if (rx) {
				let m = 0;
				(function walk(n) { if (n !== ftree && n.name !== F.narrow && rx.test(n.name)) { m += n.v; return; } n.ch.forEach(walk); })(ftree);
				matched.textContent = "Matched: " + pct(m, total) + " (" + fmtValue(m, unit) + " of " + fmtValue(total, unit) + ")";
				api.matchedShare = total ? m / total * 100 : 0;
			} else {
				matched.textContent = "";
				api.matchedShare = null;
			}
			crumbs.textContent = "";
			const z = state.zoom;
			crumbs.appendChild(el("span", { text: z ? "Zoomed to " : "Whole profile: " + fmtValue(total, unit) }));
			if (z) {
				crumbs.appendChild(el("b", { text: z.name }));
				crumbs.appendChild(el("span", { text: " \u2014 " + fmtValue(z.v, unit) + ", " + pct(z.v, total) + " of the total (Escape or Reset zoom to go back)" }));
			}
			api.zoomName = z ? z.name : null;
			if (state.sandwich) drawSandwich();
		}
		function drawSandwich() {
			const name = state.sandwich, unit = tables[state.type].unit;
			// callees: merge the subtrees of the outermost occurrences;
			// callers: the paths up to the root, reversed, merged.
			const callees = { name: name, v: 0, b: 0, ch: [], parent: null, map: new Map() };
			const callers = { name: name, v: 0, b: 0, ch: [], parent: null, map: new Map() };
			function child(p, n) {
				let c = p.map.get(n);
				if (!c) { c = { name: n, v: 0, b: 0, ch: [], parent: p, map: new Map() }; p.map.set(n, c); p.ch.push(c); }
				return c;
			}
			function merge(dst, src) {
				for (const c of src.ch) { const d = child(dst, c.name); d.v += c.v; d.b += c.b; merge(d, c); }
			}
			(function walk(n) {
				if (n !== ftree && n.name === name) {
					callees.v += n.v; callees.b += n.b; merge(callees, n);
					callers.v += n.v; callers.b += n.b;
					let p = callers;
					for (let a = n.parent; a && a !== ftree; a = a.parent) { p = child(p, a.name); p.v += n.v; p.b += n.b; }
					return;
				}
				n.ch.forEach(walk);
			})(ftree);
			// a function only in narrow frames: its direct callers and
			// callees from every stack, as drip computed them
			let fromStacks = false;
			const E = !callees.v && !callees.b && F.sandwiches ? F.sandwiches.find((x) => x.name === name) : null;
			if (E) {
				const cn = colOf("new"), cb = hasDiff ? colOf("base") : -1;
				fromStacks = true;
				for (const t of [callers, callees]) {
					t.v = E.v[cn]; t.b = cb >= 0 ? E.v[cb] : 0;
					for (const [nm, vals] of t === callers ? E.callers : E.callees) {
						const v = vals[cn], b = cb >= 0 ? vals[cb] : 0;
						if (v || b) { const c = child(t, nm); c.v = v; c.b = b; }
					}
				}
			}
			const sortKids = (n) => { n.ch.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0); n.ch.forEach(sortKids); };
			sortKids(callers); sortKids(callees);
			sw.classList.toggle("open", true);
			swIn.value = name;
			const row = tables[state.type].rows.find((r) => r[0].replace(/ \((partial-)?inline\)$/, "") === name);
			swInfo.textContent = (fromStacks ? name + ": " + fmtValue(callees.v, unit) + ", " + pct(callees.v, ftree.v) + " of the total; " +
				"only in frames too narrow to draw, so its direct callers and callees from every stack (at most " + E.callers.length +
				" callers, " + E.callees.length + " callees: the largest)" :
				callees.v ? name + ": " + fmtValue(callees.v, unit) + ", " + pct(callees.v, ftree.v) + " of the total in the frames drawn" :
				name + ": not in the flame graph (only in frames too narrow to draw, merged into \u201c" + F.narrow + "\u201d, or no such function)") +
				(row && !hasDiff ? "; drip top's cum: " + row[6] + " (" + row[7] + ")" : "");
			const total = ftree.v;
			// nothing to draw: no empty bars of the function's name
			swUp.parentNode.style.display = swDown.parentNode.style.display = callees.v || callees.b ? "" : "none";
			upView.draw(callers, { inverted: false, re: null, unit: unit, total: total, totalDelta: true,
				onclick: (n) => { if (n !== callers) openSandwich(n.name); } });
			downView.draw(callees, { inverted: true, re: null, unit: unit, total: total, totalDelta: true,
				onclick: (n) => { if (n !== callees) openSandwich(n.name); } });
			api.sandwich = { name: name, value: callees.v, fromStacks: fromStacks, callers: callers.ch.map((c) => [c.name, c.v]),
				callees: callees.ch.map((c) => [c.name, c.v]) };
		}
		api.drawFlame = () => {
			const t = performance.now();
			ftree = buildTree();
			api.timing.push(["flame tree", performance.now() - t]);
			state.zoom = null; drawFlame();
		};
		api.redrawFlame = drawFlame;
		api.flameRect = (name) => view.rectOf((n) => n.name === name);
		api.sandwichRect = (which, name) => (which === "callers" ? upView : downView).rectOf((n) => n.name === name);
		api.drawSandwich = drawSandwich;
		document.addEventListener("keydown", (ev) => {
			if (ev.key === "Escape" && state.zoom) { state.zoom = null; drawFlame(); }
		});
		let rt = 0;
		window.addEventListener("resize", () => { clearTimeout(rt); rt = setTimeout(drawFlame, 100); });
		return s;
	}
	function openSandwich(name, quiet) {
		state.sandwich = name;
		if (api.drawSandwich) api.drawSandwich();
		const s = document.getElementById("sandwich");
		if (!quiet && s && s.scrollIntoView) s.scrollIntoView({ block: "start" });
	}

	// ---- 4 call graph ----
	function graphSection() {
		const s = section("graph", hasDiff ? "Call graph: NEW - BASE (red grew, green shrank)" : "Call graph");
		const t = document.getElementById("callgraph");
		const wrap = el("div", { cls: "graphwrap", id: "graph-wrap" });
		const svg = t.content.querySelector("svg");
		let scale = 1, w0 = 0, h0 = 0;
		if (svg) {
			wrap.appendChild(document.importNode(svg, true));
			const g = wrap.querySelector("svg");
			w0 = parseFloat(g.getAttribute("width")) * 4 / 3; h0 = parseFloat(g.getAttribute("height")) * 4 / 3;
		}
		const setScale = (k) => {
			scale = k;
			const g = wrap.querySelector("svg");
			if (!g) return;
			g.setAttribute("width", String(Math.round(w0 * k)));
			g.setAttribute("height", String(Math.round(h0 * k)));
		};
		const fit = () => setScale(Math.min(1, (wrap.clientWidth - 4) / (w0 || 1)));
		s.appendChild(el("div", { cls: "controls" }, [
			el("button", { text: "Fit", id: "graph-fit", onclick: fit }),
			el("button", { text: "100%", onclick: () => setScale(1) }),
			el("button", { text: "+", onclick: () => setScale(scale * 1.25) }),
			el("button", { text: "\u2212", onclick: () => setScale(scale / 1.25) }),
			el("span", { cls: "note", text: "Graph of " + types[D.sample_index] + ", at most " + D.graph_nodecount +
				" nodes (--graph-nodecount); drip graph --format=svg draws the same." })]));
		s.appendChild(wrap);
		api.fitGraph = fit;
		return s;
	}

	// ---- 7 goroutines ----
	function goroutineSection() {
		const G = D.goroutines;
		const s = section("goroutines", "Goroutine groups");
		s.appendChild(el("p", { cls: "note", text: G.total + " goroutines in " + G.groups.length +
			" groups (same stack" + (G.has_state ? ", state" : "") + (G.has_labels ? ", labels" : "") +
			"), largest first; click a row for its stack." }));
		const head = ["count", "state", "wait", "group", "created by", "labels"];
		const tb = el("tbody");
		G.groups.forEach((g) => {
			const tr = el("tr", { cls: "grp" }, [el("td", { cls: "num", text: String(g.count) }),
				el("td", { text: g.state || "" }), el("td", { text: g.wait }),
				el("td", { cls: "name", text: g.name }), el("td", { cls: "name", text: g.created_by || "" }),
				el("td", { cls: "mono", text: g.labels })]);
			const st = el("tr", { cls: "stack hidden" }, [el("td"), el("td", { colspan: "5" }, [el("pre", { text: g.frames.join("\n") })])]);
			tr.addEventListener("click", () => st.classList.toggle("hidden"));
			tb.appendChild(tr); tb.appendChild(st);
		});
		s.appendChild(el("div", { cls: "tablewrap" }, [el("table", { cls: "t", id: "goroutine-table" },
			[el("thead", null, [el("tr", null, head.map((h) => el("th", { text: h })))]), tb])]));
		return s;
	}

	// ---- 8 check: the verdict of a drip check run ----
	function checkSection(C) {
		const G = C.doc;
		const s = section("check", "Check: " + (G.verdict === "fail" ? "FAIL" : "ok"));
		s.appendChild(el("div", { cls: G.verdict === "fail" ? "verdict fail" : "verdict ok", id: "check-verdict",
			text: G.verdict === "fail" ? G.broken + " of " + G.rules.length + " rules broken" : "every rule holds (" + G.rules.length + ")" }));
		const tb = el("tbody");
		for (const r of G.rules) {
			const st = r.status === "fail" ? "FAIL" : r.status === "ok" ? "ok" : r.status;
			tb.appendChild(el("tr", { cls: "rule" }, [el("td", { cls: r.status === "fail" ? "grew" : "shrank", text: st }),
				el("td", { cls: "mono", text: r.rule }), el("td", { text: r.message || "" })]));
			if (r.contributors && r.contributors.length) {
				const ul = el("ul", { cls: "contrib" }, r.contributors.map((c) => el("li", null, [
					el("span", { cls: "mono " + (c.delta > 0 ? "grew" : "shrank"), text: (c.delta > 0 ? "+" : "") + fmtValue(c.delta, G.unit) }), " ",
					el("span", { cls: "fn", text: c.name, onclick: () => openSandwich(c.name) }),
					c.new_site ? el("span", { cls: "tag new", text: "new" }) : null,
					el("span", { cls: "note", text: " (" + fmtValue(c.base, G.unit) + " \u2192 " + fmtValue(c.new, G.unit) + ")" })])));
				tb.appendChild(el("tr", null, [el("td"), el("td", { colspan: "2" }, [el("span", { cls: "note", text: "top contributors:" }), ul])]));
			}
		}
		s.appendChild(el("div", { cls: "tablewrap" }, [el("table", { cls: "t", id: "check-table" },
			[el("thead", null, [el("tr", null, ["", "rule", "measured"].map((h) => el("th", { text: h })))]), tb])]));
		s.appendChild(el("details", null, [el("summary", { text: "drip check's text output" }), el("pre", { cls: "hdr", text: C.text })]));
		return s;
	}

	// ---- 6 leaks: what keeps growing across a series (drip leaks) ----
	function sparkSvg(values, W, H) {
		const svg = sv("svg", { width: W, height: H, class: "spark", viewBox: "0 0 " + W + " " + H });
		let lo = Infinity, hi = -Infinity;
		for (const v of values) { if (v < lo) lo = v; if (v > hi) hi = v; }
		const n = values.length;
		const pts = values.map((v, i) => ((n > 1 ? i * (W - 2) / (n - 1) : W / 2) + 1).toFixed(1) + "," +
			(H - 1.5 - (hi > lo ? (v - lo) / (hi - lo) : 0) * (H - 3)).toFixed(1));
		svg.appendChild(sv("polyline", { points: pts.join(" ") }));
		return svg;
	}
	// why a series got its verdict: the rules of drip leaks, each kept or not
	function reasons(L, sr, type, S) {
		const R = L.doc.rules, out = [];
		const ok = (c, t) => out.push((c ? "\u2713 " : "\u2717 ") + t);
		ok(sr.growth >= type.floor, "grew " + fmtValue(Math.round(sr.growth), sr.unit) + " (floor " + fmtValue(Math.round(type.floor), sr.unit) + ")");
		if (sr.late_share !== null && sr.late_share !== undefined)
			ok(sr.late_share >= R.min_late, Math.round(sr.late_share * 100) + "% of it in the later half (at least " + Math.round(R.min_late * 100) + "%)");
		const sampled = sr.noise_z !== null && sr.noise_z !== undefined;
		const mt = sampled ? R.min_t_sampled : R.min_t;
		ok(sr.t === null || sr.t >= mt, "steady: slope t " + (sr.t === null ? "\u221e (an exact line)" : sr.t.toFixed(1)) + " (at least " + mt + ")");
		// sampled heap profiles: either route of drip leaks' rule 4
		if (sampled && S && S.p_churn !== undefined && S.p_churn !== null)
			ok(S.p_churn <= R.max_p, "sampled counts " + S.first + " \u2192 " + S.last + " (+" + S.gained + ", \u2212" + S.lost +
				"): P " + S.p_churn.toPrecision(2) + " under healthy churn (at most " + R.max_p + "), or");
		if (sampled) ok(sr.noise_z >= R.min_z, "above sampling noise: " + sr.noise_z.toFixed(1) + " sd (at least " + R.min_z + ")");
		return out;
	}
	// a heap site's owner as drip leaks words it (JSON owner: kind "own" or "caller")
	function ownerText(o) {
		if (!o || !o.function) return "";
		return (o.kind === "own" ? "allocated for " : "called from ") + o.function;
	}
	function leaksSection(L) {
		const G = L.doc;
		const s = section("leaks", "Leaks: what keeps growing over " + G.snapshots.length + " snapshots");
		s.appendChild(el("p", { cls: "note", text: G.suspects + " suspect" + (G.suspects === 1 ? "" : "s") + ", " + G.noisy + " noisy, " +
			G.sites.length + " site" + (G.sites.length === 1 ? "" : "s") + " shown (" + (G.kind === "goroutine" ? "goroutine groups" : "allocation sites") +
			", snapshots ordered by " + (G.order === "time" ? "profile time" : "argument") + "). Click a row for its trend and the verdict's reasons." }));
		const heap = G.kind !== "goroutine";
		const head = ["rank", "verdict", "growth", "first", "last", "R\u00b2", "trend", heap ? "site" : "group", heap ? "owner" : "blocks / created by"];
		const tb = el("tbody");
		for (const site of G.sites) {
			const sr = site.series[0], type = G.sample_types.find((t) => t.type === sr.type) || G.sample_types[0];
			const vals = sr.values;
			const tr = el("tr", { cls: "site " + site.verdict }, [el("td", { cls: "num", text: String(site.rank) }),
				el("td", { cls: site.suspect ? "grew" : "", text: site.verdict + (site.proven_leaked ? " (" + site.proven_leaked + " proven leaked)" : "") }),
				el("td", { cls: "num", text: (sr.growth >= 0 ? "+" : "") + fmtValue(Math.round(sr.growth), sr.unit) }),
				el("td", { cls: "num", text: fmtValue(vals[0], sr.unit) }), el("td", { cls: "num", text: fmtValue(vals[vals.length - 1], sr.unit) }),
				el("td", { cls: "num", text: sr.r2 === null ? "" : sr.r2.toFixed(2) }),
				el("td", null, [sparkSvg(vals, 90, 18)]),
				el("td", { cls: "name" }, [el("span", { cls: "fn", text: site.name, onclick: (ev) => { ev.stopPropagation(); openSandwich(site.name); } })]),
				el("td", { cls: "name", text: heap ? ownerText(site.owner) : [site.blocks, site.created_by].filter((x) => x).join(" / ") })]);
			const detail = el("tr", { cls: "stack hidden" }, [el("td"), el("td", { colspan: String(head.length - 1) })]);
			tr.addEventListener("click", () => {
				const open = detail.classList.toggle("hidden") === false;
				const td = detail.cells[1];
				if (open && !td.firstChild) {
					for (const x of site.series) {
						const t2 = G.sample_types.find((t) => t.type === x.type) || type;
						td.appendChild(el("div", { cls: "trend" }, [lineChart(x.values.map((v, i) => ({ x: i, v: v, unit: x.unit,
							label: "#" + (i + 1) + " " + G.snapshots[i].file })), 420, 150, site.name + ": " + x.type + " (" + x.verdict + ")"),
							el("ul", { cls: "contrib" }, reasons(L, x, t2, site.samples).map((r) => el("li", { text: r })))]));
					}
				}
			});
			tb.appendChild(tr); tb.appendChild(detail);
		}
		s.appendChild(el("div", { cls: "tablewrap" }, [el("table", { cls: "t", id: "leaks-table" },
			[el("thead", null, [el("tr", null, head.map((h) => el("th", { text: h })))]), tb])]));
		if (L.joined) s.appendChild(el("pre", { cls: "hdr", id: "leaks-joined", text: L.joined }));
		s.appendChild(el("details", null, [el("summary", { text: "drip leaks' text output" }), el("pre", { cls: "hdr", text: L.text })]));
		return s;
	}

	// ---- assemble ----
	const t0 = performance.now();
	const checkEl = document.getElementById("check");
	if (checkEl) main.appendChild(checkSection(JSON.parse(checkEl.textContent)));
	main.appendChild(summarySection());
	const leaksEl = document.getElementById("leaks");
	if (leaksEl) main.appendChild(leaksSection(JSON.parse(leaksEl.textContent)));
	main.appendChild(topSection());
	main.appendChild(flameSection());
	main.appendChild(graphSection());
	if (D.goroutines) main.appendChild(goroutineSection());
	for (const [id, title] of sections) nav.appendChild(el("a", { href: "#" + id, text: title.split(":")[0] }));
	function renderAll() {
		const t = performance.now();
		if (api.drawSeries) api.drawSeries();
		api.renderTop();
		api.timing.push(["top", performance.now() - t]);
		void document.body.offsetHeight;
		api.timing.push(["layout", performance.now() - t]);
		api.drawFlame();
		api.timing.push(["flame", performance.now() - t]);
	}
	api.timing = [["sections", performance.now() - t0]];
	renderAll();
	api.timing.push(["renderAll", performance.now() - t0]);
	if (tables[state.type].rows.length) openSandwich(tables[state.type].rows[0][0].replace(/ \((partial-)?inline\)$/, ""), true);
	api.timing.push(["sandwich", performance.now() - t0]);
	api.fitGraph();
	api.timing.push(["fit", performance.now() - t0]);
	api.state = state;
	api.flameDropped = F.dropped;
	api.narrowName = F.narrow;
	api.renderMs = performance.now() - t0;
	// the widest frame under the root (for tests: a frame to click)
	api.widestFrame = () => ftree && ftree.ch.length ? ftree.ch.reduce((a, b) => b.v > a.v ? b : a).name : null;
	// times since the navigation's start: the script's end, and the first
	// frame painted after it with the main thread free again
	api.readyAt = performance.now();
	requestAnimationFrame(() => setTimeout(() => { api.interactiveAt = performance.now(); }));
	document.body.dataset.ready = "1";
})();
