// Drive headless Chromium over the DevTools protocol (Node's WebSocket,
// no npm packages) through an HTML report made by `drip report`: load
// it, check that every section renders, that no request leaves the page
// and the Content-Security-Policy blocks nothing, then sort, filter,
// switch the sample type, zoom, search, toggle the icicle, open the
// sandwich view; screenshots of each step.
//
//   node tests/browser/report.mjs HTML OUTDIR EXPECT.json TAG
// EXPECT.json, written by run.sh from drip's text commands:
//   { top: [[flat, flat%, sum%, cum, cum%, name]...]  (drip top, default type)
//     type2: NAME, top2: first row of drip top -i NAME
//     frame: a frame to zoom into, regex, share (matched %, from the folded stacks)
//     sandwich: {name, callers: [[name, value]...], callees: [...]}  (folded stacks)
//     sections: ["summary", ...], diff: bool, goroutines: N groups }
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { start } from './cdp.mjs';

const [htmlPath, outDir, expectPath, tag = 'report'] = process.argv.slice(2);
const X = JSON.parse(readFileSync(expectPath, 'utf8'));
const B = await start({ width: 1280, height: 900, timeout: 90 });
const { send, js, click, clickEl, type, key, check, requests, exceptions, consoleErrors } = B;
const shot = (name, sel) => B.shot(join(outDir, `${tag}-${name}.png`), sel);
const rowsJs = `Array.from(document.querySelectorAll('#top-table tbody tr')).filter(function(t){return !t.dataset.total;}).map(function(t){return Array.from(t.cells).map(function(c){return c.firstChild&&c.firstChild.className==='fn'?c.firstChild.textContent:c.textContent;}).concat([t.classList.contains('hidden')]);})`;

try {
	await send('Network.enable');
	await send('Log.enable');
	await send('Performance.enable');
	// CSP violations are events in the page: count them from the start.
	await send('Page.addScriptToEvaluateOnNewDocument', { source:
		`window.__csp=[];document.addEventListener('securitypolicyviolation',function(e){window.__csp.push(e.violatedDirective+' '+e.blockedURI);});` });
	const t0 = Date.now();
	await B.navigate('file://' + resolve(htmlPath));
	const ready = await js(`document.body.dataset.ready`);
	const nav = await js(`(function(){var t=performance.getEntriesByType('navigation')[0];return {dcl:Math.round(t.domContentLoadedEventEnd),load:Math.round(t.loadEventEnd)};})()`);
	const pm = Object.fromEntries((await send('Performance.getMetrics')).metrics.map((x) => [x.name, x.value]));
	// wall times on a loaded machine say little; the renderer's busy time more
	console.log(`     renderer main thread busy ${Math.round(pm.TaskDuration * 1000)} ms (script ${Math.round(pm.ScriptDuration * 1000)}, layout ${Math.round(pm.LayoutDuration * 1000)}, style ${Math.round(pm.RecalcStyleDuration * 1000)})`);
	console.log(`     navigation timing: DOMContentLoaded ${nav.dcl} ms, load ${nav.load} ms after navigation start`);
	console.log(`     page loaded and drawn in ${Date.now() - t0} ms (script: ${Math.round(await js('window.dripReport.renderMs'))} ms: ${JSON.stringify(await js('window.dripReport.timing.map(function(t){return t[0]+" "+Math.round(t[1]);}).join(", ")'))})`);
	check(ready === '1', 'the page script ran to the end (body[data-ready])');
	console.log(`     redraw of the flame graph: ${Math.round(await js('(function(){var t=performance.now();window.dripReport.redrawFlame();return performance.now()-t;})()'))} ms; rows: ${await js("document.querySelectorAll('#top-table tbody tr').length")}`);

	// 1. every section renders
	const sec = await js(`Array.from(document.querySelectorAll('main > section')).map(function(s){return s.id;})`);
	check(JSON.stringify(sec) === JSON.stringify(X.sections), `sections ${JSON.stringify(sec)} = ${JSON.stringify(X.sections)}`);
	const r1 = await js(`({inputs: document.querySelectorAll('#summary table tbody tr').length,
		rows: document.querySelectorAll('#top-table tbody tr').length,
		frames: window.dripReport.flameRect('root') !== null,
		canvasW: document.getElementById('flame-canvas').width,
		nodes: document.querySelectorAll('#graph-wrap svg g.node').length,
		edges: document.querySelectorAll('#graph-wrap svg g.edge').length,
		warn: Array.from(document.querySelectorAll('.warn')).map(function(w){return w.textContent;}),
		groups: document.querySelectorAll('#goroutine-table tr.grp').length})`);
	check(r1.inputs === X.inputs, `summary lists the ${X.inputs} inputs (${r1.inputs})`);
	check(r1.rows > 0, `top table has rows (${r1.rows})`);
	check(r1.frames && r1.canvasW > 100, 'flame graph drawn');
	check(r1.nodes > 2 && r1.edges > 0, `call graph SVG inline (${r1.nodes} nodes, ${r1.edges} edges)`);
	check(r1.warn.length === X.warnings, `${X.warnings} warning(s) shown: ${JSON.stringify(r1.warn)}`);
	if (X.goroutines !== undefined) check(r1.groups === X.goroutines, `goroutine groups table: ${r1.groups} groups = ${X.goroutines}`);
	// a canvas that was drawn on has non-white pixels
	const ink = await js(`(function(){var c=document.getElementById('flame-canvas'),d=c.getContext('2d').getImageData(0,0,c.width,c.height).data,n=0;for(var i=0;i<d.length;i+=4)if(d[i]<250||d[i+1]<250||d[i+2]<250)n++;return n;})()`);
	check(ink > 1000, `flame canvas has ink (${ink} pixels)`);
	if (X.check) {
		const c = await js(`({v: document.getElementById('check-verdict').textContent, rules: Array.from(document.querySelectorAll('#check-table tr.rule')).map(function(r){return Array.from(r.cells).map(function(c){return c.textContent;});})})`);
		check(JSON.stringify(c.rules) === JSON.stringify(X.check.rules), `check rules = drip check's (${c.rules.length})`);
		check(X.check.verdict === 'fail' ? c.v.startsWith(`${X.check.broken} of `) : c.v.startsWith('every rule holds'), `verdict: ${c.v}`);
		await shot('0-check', '#check');
	}
	if (X.leaks) {
		const lk = await js(`Array.from(document.querySelectorAll('#leaks-table tr.site')).map(function(r){return [r.cells[0].textContent, r.cells[1].textContent.replace(/ \\(.*/, ''), r.cells[7].textContent];})`);
		check(JSON.stringify(lk) === JSON.stringify(X.leaks), `leaks table = drip leaks' sites (${lk.length}): ${JSON.stringify(lk[0])}`);
		check(await js(`document.querySelectorAll('#leaks-table tr.site svg.spark polyline').length`) === X.leaks.length, 'a sparkline per site');
		// the rank cell: the row's middle may be the site's name, which opens the sandwich view instead
		await clickEl(`document.querySelector('#leaks-table tr.site td')`);
		const tc = await js(`(function(){var d=document.querySelector('#leaks-table tr.stack');return {open:!d.classList.contains('hidden'),charts:d.querySelectorAll('svg.chart').length,reasons:d.querySelectorAll('li').length};})()`);
		check(tc.open && tc.charts > 0 && tc.reasons >= 3, `a site opens its trend chart(s) (${tc.charts}) and the verdict's reasons (${tc.reasons})`);
		await shot('1-leaks', '#leaks');
	}
	if (X.watch) {
		const wn = await js(`(document.getElementById('watch-note') || {}).textContent`);
		check(typeof wn === 'string' && wn.includes(`after round ${X.watch} `), `drip watch's note: "${wn}"`);
	}
	await shot('1-summary', '#summary');

	// 2. the top table: its numbers are drip's text output's (a long
	// table draws its first 500 rows until "Show all")
	if (await js(`document.getElementById('top-all') !== null`)) await clickEl(`document.getElementById('top-all')`);
	const rows = await js(rowsJs);
	const cells = rows.map((r) => r.slice(0, -1));
	const want = X.top;
	let same = cells.length === want.length;
	for (let i = 0; same && i < want.length; i++) same = JSON.stringify(cells[i]) === JSON.stringify(want[i]);
	check(same, `top table = ${X.diff ? 'drip diff' : 'drip top'} (${cells.length} rows, want ${want.length})${same ? '' : ': ' + JSON.stringify(cells[0]) + ' vs ' + JSON.stringify(want[0])}`);
	await shot('2-top', '#top');

	// sort: click a numeric column twice (descending, then ascending)
	const col = X.diff ? 'new' : 'cum', ci = X.diff ? 1 : 3;
	const th = `Array.from(document.querySelectorAll('#top-table th')).find(function(t){return t.textContent===${JSON.stringify(col)};})`;
	await clickEl(th);
	const val = (s) => { const m = /^(-?[0-9.]+)([a-zA-Z]*)$/.exec(s); if (!m) return NaN; const k = { B: 1, kB: 1024, MB: 1048576, GB: 1073741824 }[m[2]]; return +m[1] * (k || 1); };
	let sorted = (await js(rowsJs)).map((r) => val(r[ci]));
	check(sorted.every((v, i) => i === 0 || sorted[i - 1] >= v) && (await js(`${th}.className`)).includes('desc'), `sorted by ${col}, descending`);
	await clickEl(th);
	sorted = (await js(rowsJs)).map((r) => val(r[ci]));
	check(sorted.every((v, i) => i === 0 || sorted[i - 1] <= v), `sorted by ${col}, ascending`);
	const nth = `Array.from(document.querySelectorAll('#top-table th')).find(function(t){return t.textContent==='name';})`;
	await clickEl(nth);
	const names = (await js(rowsJs)).map((r) => r[r.length - 2]);
	check(names.every((v, i) => i === 0 || names[i - 1] <= v), 'sorted by name');
	await shot('3-top-sorted', '#top');
	// back to the report's order: name again (descending), then off
	await clickEl(nth); await clickEl(nth);

	// regex filter
	await type(`document.getElementById('top-filter')`, X.regex);
	const fr = await js(rowsJs);
	const re = new RegExp(X.regex);
	const wantVis = X.top.filter((r) => re.test(r[r.length - 1])).map((r) => r[r.length - 1]);
	const vis = fr.filter((r) => !r[r.length - 1]).map((r) => r[r.length - 2]);
	check(wantVis.length > 0 && wantVis.length < X.top.length && JSON.stringify(vis) === JSON.stringify(wantVis),
		`regex filter '${X.regex}' shows exactly the ${wantVis.length} matching rows of ${X.top.length} (${vis.length} shown)`);
	const cnt = await js(`document.getElementById('top-count').textContent`);
	check(cnt === `${wantVis.length} of ${X.top.length} rows`, `row count shown: "${cnt}"`);
	await shot('4-top-filtered', '#top');
	await js(`(function(){var e=document.getElementById('top-filter');e.value='';e.dispatchEvent(new Event('input'));})()`);

	// sample type switch (the <select>, as a user changes it)
	await js(`(function(){var s=document.getElementById('stype');s.value=Array.from(s.options).find(function(o){return o.textContent===${JSON.stringify(X.type2)};}).value;s.dispatchEvent(new Event('change'));})()`);
	const t2 = await js(`({hdr: document.getElementById('top-header').textContent, first: ${rowsJs}[0]})`);
	check(t2.hdr.includes(`Type: ${X.type2}`), `sample type switched: header says Type: ${X.type2}`);
	check(JSON.stringify(t2.first.slice(0, -1)) === JSON.stringify(X.top2), `first row for ${X.type2} = drip -i ${X.type2}: ${JSON.stringify(t2.first.slice(0, -1))}`);
	await shot('5-top-type2', '#top');
	await js(`(function(){var s=document.getElementById('stype');s.value=String(${X.type1});s.dispatchEvent(new Event('change'));})()`);

	// 3. flame graph: zoom by clicking a frame
	await js(`document.getElementById('flame').scrollIntoView({block:'start'})`);
	await shot('6-flame', '#flame');
	const fc = await js(`window.dripReport.flameRect(${JSON.stringify(X.frame)})`);
	check(fc !== null, `frame '${X.frame}' drawn`);
	await click(fc.x, fc.y);
	const z = await js(`({zoom: window.dripReport.zoomName, r: window.dripReport.flameRect(${JSON.stringify(X.frame)}), W: document.getElementById('flame-canvas').clientWidth, crumbs: document.getElementById('flame-crumbs').textContent})`);
	check(z.zoom === X.frame && z.crumbs.includes(X.frame), `zoomed to ${X.frame} (${z.crumbs})`);
	check(z.r && Math.abs(z.r.w - z.W) < 1.5, `zoomed frame fills the width (${z.r && z.r.w} of ${z.W})`);
	await shot('7-flame-zoomed', '#flame');
	await key('Escape', 'Escape', 27);
	check((await js('window.dripReport.zoomName')) === null, 'Escape resets the zoom');

	// search: matched share as the folded stacks give it
	await type(`document.getElementById('flame-search')`, X.regex);
	const m = await js(`document.getElementById('flame-matched').textContent`);
	// a pruned flame graph (frames under --minwidth merged) matches at
	// most the folded stacks' share; an unpruned one exactly that share
	const pruned = (await js('window.dripReport.flameDropped')) > 0;
	const got = parseFloat(m.replace(/^Matched: /, ''));
	if (pruned) check(got > 0 && got <= +X.share, `search '${X.regex}' on a pruned graph: "${m}" (at most ${X.share}%)`);
	else check(m.startsWith(`Matched: ${X.share}%`), `search '${X.regex}': "${m}" (want ${X.share}%)`);
	await shot('8-flame-search', '#flame');
	await js(`(function(){var e=document.getElementById('flame-search');e.value='';e.dispatchEvent(new Event('input'));})()`);

	// icicle: the root moves from the bottom row to the top row
	const rootY = `(function(){var r=window.dripReport.flameRect('root'),c=document.getElementById('flame-canvas').getBoundingClientRect();return {y:r.y-c.top,h:c.height};})()`;
	const yFlame = await js(rootY);
	await clickEl(`document.getElementById('flame-mode-icicle')`);
	const yIcicle = await js(rootY);
	check(yIcicle.y < 20 && yFlame.y > yFlame.h - 20, `icicle puts the root at the top (flame: y ${Math.round(yFlame.y)} of ${Math.round(yFlame.h)}, icicle: y ${Math.round(yIcicle.y)})`);
	await shot('9-icicle', '#flame');
	await clickEl(`document.getElementById('flame-mode-flame')`);

	// sandwich: click the function's name in the top table
	await js(`(function(){var e=document.getElementById('top-filter');e.value='';e.dispatchEvent(new Event('input'));})()`);
	const sn = `Array.from(document.querySelectorAll('#top-table span.fn')).find(function(s){return s.textContent.replace(/ \\((partial-)?inline\\)$/,'')===${JSON.stringify(X.sandwich.name)};})`;
	check(await clickEl(sn), `'${X.sandwich.name}' in the top table`);
	const sw = await js(`window.dripReport.sandwich`);
	const norm = (l) => JSON.stringify(l.slice().sort((a, b) => a[0] < b[0] ? -1 : 1));
	check(sw && sw.name === X.sandwich.name, `sandwich view of ${X.sandwich.name}`);
	const absent = pruned && sw && sw.value === 0;
	if (absent) {
		// a function only in frames too narrow to draw (a bushy profile's
		// leaves): the page says so and draws no empty bars
		const info = await js(`({t: document.getElementById('sandwich-info').textContent,
			hidden: document.getElementById('sandwich-callers').parentNode.style.display === 'none'})`);
		check(info.t.includes('not in the flame graph') && info.hidden, `sandwich of ${X.sandwich.name}, only in narrow frames: "${info.t}"`);
		console.log(`     NOTE the sandwich of ${X.sandwich.name} is empty on this pruned graph (--minwidth=0 keeps every frame)`);
	} else if (pruned && sw.fromStacks) {
		// only in narrow frames: drip's own direct callers and callees
		// from every stack, each exactly the folded stacks' value
		const exact = (got, want) => got.every(([n, v]) => want.some(([n2, v2]) => n2 === n && v === v2));
		check(sw.callers.length > 0 && exact(sw.callers, X.sandwich.callers), `sandwich callers from every stack: ${sw.callers.length} of ${X.sandwich.callers.length}, each = the folded stacks'`);
		check(sw.callees.length === Math.min(X.sandwich.callees.length, 20) && exact(sw.callees, X.sandwich.callees), `sandwich callees from every stack: ${sw.callees.length} of ${X.sandwich.callees.length}, each = the folded stacks'`);
	} else if (pruned) {
		// each caller / callee drawn is one of the folded stacks', with at
		// most its value (or the frame that stands for the narrow ones)
		const narrow = await js('window.dripReport.narrowName');
		const within = (got, want) => got.every(([n, v]) => n === narrow || want.some(([n2, v2]) => n2 === n && v <= v2));
		check(sw && sw.callers.length > 0 && within(sw.callers, X.sandwich.callers), `sandwich callers on a pruned graph: ${sw.callers.length}, each within the folded stacks'`);
		check(sw && within(sw.callees, X.sandwich.callees), `sandwich callees on a pruned graph: ${sw.callees.length}, each within the folded stacks'`);
	} else {
		check(sw && norm(sw.callers) === norm(X.sandwich.callers), `sandwich callers ${JSON.stringify(sw && sw.callers)} = folded stacks' ${JSON.stringify(X.sandwich.callers)}`);
		check(sw && norm(sw.callees) === norm(X.sandwich.callees), `sandwich callees ${JSON.stringify(sw && sw.callees)} = folded stacks' ${JSON.stringify(X.sandwich.callees)}`);
	}
	if (!absent) {
		const swr = await js(`({up: window.dripReport.sandwichRect('callers', ${JSON.stringify(X.sandwich.name)}), down: window.dripReport.sandwichRect('callees', ${JSON.stringify(X.sandwich.name)})})`);
		check(swr.up && swr.down && swr.up.y < swr.down.y, 'function drawn at the bottom of its callers and the top of its callees');
	}
	await shot('10-sandwich', '#sandwich');

	// 4. call graph
	await shot('11-graph', '#graph');
	if (X.goroutines !== undefined) {
		await clickEl(`document.querySelector('#goroutine-table tr.grp')`);
		check(await js(`!document.querySelector('#goroutine-table tr.stack').classList.contains('hidden')`), 'a goroutine group opens its stack');
		await shot('12-goroutines', '#goroutines');
	}

	// nothing left the page, nothing was blocked, nothing threw
	const self = 'file://' + resolve(htmlPath);
	const out = requests.filter((u) => u !== self && !u.startsWith('data:'));
	check(out.length === 0, `no request leaves the page (${requests.length} requests${out.length ? ': ' + out.join(' ') : ''})`);
	const csp = await js('window.__csp');
	check(csp.length === 0, `no Content-Security-Policy violation (${JSON.stringify(csp)})`);
	check(exceptions.length === 0 && consoleErrors.length === 0, `no script error (${exceptions.concat(consoleErrors).join('; ')})`);
} catch (err) {
	B.fail(err);
}
B.done(tag);
