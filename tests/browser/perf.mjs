// How long a drip report page takes to become interactive in headless
// Chromium, measured the way a loaded machine cannot fool much:
//
//   node tests/browser/perf.mjs HTML [RUNS] [--profile=OUT.json]
//
// Per run (a fresh tab each), from the navigation's start (the page's
// time origin): when the page script finished (window.dripReport.readyAt),
// when the first frame after it was painted and the main thread was free
// for the next task (interactiveAt: a click would be handled then), and
// the renderer's busy time from Performance.getMetrics (TaskDuration:
// every main-thread task; ScriptDuration, LayoutDuration,
// RecalcStyleDuration), which counts CPU work rather than waiting for a
// core.  Then a click on the flame graph's widest child frame of the root
// and the time until its zoomed frame is painted.  --profile: a DevTools
// CPU profile of the last run's load (open it in Chromium's DevTools), and
// the functions with the most self time printed.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { start } from './cdp.mjs';

const args = process.argv.slice(2);
const htmlPath = args[0];
const runs = +(args.find((a, i) => i > 0 && /^[0-9]+$/.test(a)) || 3);
const profOut = (args.find((a) => a.startsWith('--profile=')) || '').slice(10);
const B = await start({ width: 1280, height: 900, timeout: 60 + runs * 60 });
const { send, js } = B;
const url = 'file://' + resolve(htmlPath);
const results = [];

try {
	await send('Performance.enable', { timeDomain: 'threadTicks' }).catch(() => send('Performance.enable'));
	for (let r = 0; r < runs; r++) {
		await B.navigate('about:blank');
		const m0 = Object.fromEntries((await send('Performance.getMetrics')).metrics.map((x) => [x.name, x.value]));
		const last = r === runs - 1 && profOut;
		if (last) {
			await send('Profiler.enable');
			await send('Profiler.setSamplingInterval', { interval: 200 });
			await send('Profiler.start');
		}
		await B.navigate(url);
		// wait for the script's end and the first frame after it
		const t = await js(`new Promise(function(res){(function poll(){var a=window.dripReport;
			if(a&&a.interactiveAt)res({ready:a.readyAt,interactive:a.interactiveAt,timing:a.timing.map(function(t){return t[0]+' '+Math.round(t[1]);}).join(', ')});
			else setTimeout(poll,20);})();})`);
		let prof = null;
		if (last) prof = (await send('Profiler.stop')).profile;
		const m1 = Object.fromEntries((await send('Performance.getMetrics')).metrics.map((x) => [x.name, x.value]));
		const d = (k) => Math.round(((m1[k] || 0) - (m0[k] || 0)) * 1000);
		// a click on the widest frame under the root: zoom drawn
		const z = await js(`(function(){var a=window.dripReport;var n=a.widestFrame();if(!n)return null;
			document.getElementById('flame').scrollIntoView({block:'start'});var r=a.flameRect(n);return {name:n,x:r.x,y:r.y};})()`);
		let zoomMs = null;
		if (z) {
			await js(`(function(){window.__t0=performance.now();})()`);
			await B.click(z.x, z.y);
			zoomMs = await js(`new Promise(function(res){requestAnimationFrame(function(){setTimeout(function(){res(performance.now()-window.__t0);});});})`);
			B.check(await js('window.dripReport.zoomName') === z.name, `run ${r + 1}: click zooms to ${z.name}`);
		}
		const row = { ready: Math.round(t.ready), interactive: Math.round(t.interactive), task: d('TaskDuration'),
			script: d('ScriptDuration'), layout: d('LayoutDuration'), style: d('RecalcStyleDuration'), zoom: Math.round(zoomMs) };
		results.push(row);
		console.log(`     run ${r + 1}: script done ${row.ready} ms, interactive ${row.interactive} ms after navigation start; ` +
			`main thread busy ${row.task} ms (script ${row.script}, layout ${row.layout}, style ${row.style}); zoom click ${row.zoom} ms`);
		console.log(`            page script: ${t.timing}`);
		if (prof) {
			writeFileSync(profOut, JSON.stringify(prof));
			const self = new Map(), byId = new Map(prof.nodes.map((n) => [n.id, n]));
			const dt = prof.timeDeltas, counts = new Map();
			prof.samples.forEach((id, i) => counts.set(id, (counts.get(id) || 0) + (dt[i] || 0)));
			for (const [id, us] of counts) {
				const n = byId.get(id), f = n.callFrame;
				const k = `${f.functionName || '(anonymous)'} ${f.url ? f.url.replace(/.*\//, '') : ''}:${f.lineNumber + 1}`;
				self.set(k, (self.get(k) || 0) + us);
			}
			console.log(`     CPU profile ${profOut}; most self time:`);
			for (const [k, us] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12))
				console.log(`       ${String(Math.round(us / 1000)).padStart(6)} ms  ${k}`);
		}
	}
	const med = (k) => results.map((x) => x[k]).sort((a, b) => a - b)[Math.floor(results.length / 2)];
	console.log(`     median of ${runs}: interactive ${med('interactive')} ms, busy ${med('task')} ms (script ${med('script')}), zoom ${med('zoom')} ms`);
} catch (err) {
	B.fail(err);
}
B.done('perf');
