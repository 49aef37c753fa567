// Drive headless Chromium over the DevTools protocol (Node's WebSocket,
// no npm packages) through a flame graph SVG made by drip: load it,
// hover a frame, click to zoom, reset, search through the real prompt
// dialog, and take screenshots; assert on the DOM after each action.
//
//   node --experimental-websocket tests/browser/flame.mjs SVG OUTDIR FRAME REGEX SHARE [diff]
// FRAME: a frame name to click; REGEX: the search; SHARE: the expected
// matched percentage (two decimals), computed by the caller elsewhere.
import { join, resolve } from 'node:path';
import { start } from './cdp.mjs';

const [svgPath, outDir, frameName, regex, share, mode = 'plain'] = process.argv.slice(2);
const tag = mode === 'diff' ? 'diff-' : '';
const B = await start({ width: 1280, height: 800, timeout: 60 });
const { send, event, js, mouse, click, check } = B;
const shot = (name) => B.shot(join(outDir, name));
const center = (sel) => js(`(function(){var e=${sel};if(e&&e.querySelector('rect'))e=e.querySelector('rect');if(!e)return null;var r=e.getBoundingClientRect();return {x:r.x+Math.min(r.width/2,40),y:r.y+r.height/2,w:r.width};})()`);
// A frame's name is the first line of its tooltip (the label may be shortened).
const frameSel = (name) => `Array.prototype.find.call(document.querySelectorAll('#frames svg.f'),function(f){return f.querySelector('title').textContent.split('\\n')[0]===${JSON.stringify(name)};})`;

try {
	await B.navigate('file://' + resolve(svgPath));

	// 1. loaded: an SVG document, frames drawn, the viewer script ran
	const init = await js(`({root: document.documentElement.localName, n: document.querySelectorAll('#frames svg.f').length,
		hidden: document.querySelectorAll('#frames svg.f.h').length, api: typeof window.drip,
		unzoom: document.getElementById('unzoom').getAttribute('class'),
		rootw: document.querySelector('#frames svg.f[data-d="0"]').getAttribute('width')})`);
	check(init.root === 'svg', `document element is <svg> (got ${init.root})`);
	check(init.n > 10, `frames drawn (${init.n})`);
	check(init.api === 'object', 'viewer script ran (window.drip)');
	check(init.hidden === 0 && /\bh\b/.test(init.unzoom), 'nothing hidden, Reset Zoom hidden before zooming');
	check(init.rootw === '100.0000%', 'root frame spans the width');
	const lab = await js(`(function(){var bad=0,short=0;document.querySelectorAll('#frames svg.f').forEach(function(f){
		var t=f.querySelector('text'),name=f.querySelector('title').textContent.split('\\n')[0];
		if(t.textContent!==name){short++;if(t.textContent!==''&&!(t.textContent.endsWith('..')&&name.startsWith(t.textContent.slice(0,-2))))bad++;}
		if(t.textContent!==''&&t.getComputedTextLength()>f.querySelector('rect').getBoundingClientRect().width)bad++;});return {bad:bad,short:short};})()`);
	check(lab.bad === 0 && lab.short > 0, `labels fit their frames (${lab.short} shortened with '..', ${lab.bad} overflow)`);
	await shot(`flame-${tag}1-loaded.png`);

	// 2. hover: the details line shows the frame, its value with a unit, and a percentage
	const fc = await center(frameSel(frameName));
	check(fc !== null, `frame '${frameName}' exists`);
	await mouse('mouseMoved', fc.x, fc.y);
	const det = await js(`document.getElementById('details').textContent`);
	if (mode === 'diff')
		check(det.startsWith(frameName) && /total: base [0-9.]+(B|kB|MB|GB), new [0-9.]+(B|kB|MB|GB), delta [-+]?[0-9.]+(B|kB|MB|GB)? \([-+][0-9.]+%|new\)/.test(det), `hover details: "${det}"`);
	else
		check(det.startsWith(frameName) && /[0-9.]+(B|kB|MB|GB) \([0-9.]+%\)/.test(det), `hover details: "${det}"`);

	// 3. click: the frame fills the width, outside frames hidden, ancestors faded
	await click(fc.x, fc.y);
	const z = await js(`(function(){var f=${frameSel(frameName)};var d=+f.getAttribute('data-d'),x=+f.getAttribute('data-x'),w=+f.getAttribute('data-w');
		var all=document.querySelectorAll('#frames svg.f'),bad=0,hid=0,anc=0,desc=0;
		all.forEach(function(g){var gd=+g.getAttribute('data-d'),gx=+g.getAttribute('data-x'),gw=+g.getAttribute('data-w'),h=g.classList.contains('h');
		  if(h)hid++;
		  var inside=gd>=d&&gx>=x&&gx+gw<=x+w, above=gd<d&&gx<=x&&gx+gw>=x+w;
		  if(inside){desc++;var want=((gx-x)/w*100).toFixed(4)+'%';if(h||g.getAttribute('x')!==want)bad++;}
		  else if(above){anc++;if(h||!g.classList.contains('p')||g.getAttribute('width')!=='100%')bad++;}
		  else if(!h)bad++;});
		return {x:f.getAttribute('x'),w:f.getAttribute('width'),hid:hid,anc:anc,desc:desc,bad:bad,
		  unzoom:document.getElementById('unzoom').getAttribute('class')};})()`);
	check(z.x === '0%' || z.x === '0.0000%', `zoomed frame starts at the left (x=${z.x})`);
	check(z.w === '100.0000%', `zoomed frame fills the width (width=${z.w})`);
	check(z.hid > 0 && z.anc > 0 && z.desc > 0 && z.bad === 0, `zoom layout: ${z.desc} inside, ${z.anc} faded ancestors, ${z.hid} hidden, ${z.bad} wrong`);
	check(!/\bh\b/.test(z.unzoom), 'Reset Zoom shown');
	await shot(`flame-${tag}2-zoomed.png`);

	// 4. Reset Zoom (clicked): back to the first layout
	const rz = await center(`document.getElementById('unzoom')`);
	await click(rz.x, rz.y);
	const r = await js(`(function(){var n=0;document.querySelectorAll('#frames svg.f').forEach(function(f){
		if(f.classList.contains('h')||f.classList.contains('p')||f.getAttribute('x')!==((+f.getAttribute('data-x'))/(+document.documentElement.getAttribute('data-total'))*100).toFixed(4)+'%')n++;});return n;})()`);
	check(r === 0, `reset zoom restores every frame (${r} differ)`);

	// 5. search through the Search button and the real prompt dialog
	const sb = await center(`document.getElementById('search')`);
	const dialog = event('Page.javascriptDialogOpening');
	const pressed = click(sb.x, sb.y);
	const d = await dialog;
	check(d.type === 'prompt', `Search opens a prompt (${d.type})`);
	await send('Page.handleJavaScriptDialog', { accept: true, promptText: regex });
	await pressed;
	const s = await js(`(function(){var re=new RegExp(${JSON.stringify(regex)}),m=0,want=0,wrong=0;
		document.querySelectorAll('#frames svg.f').forEach(function(f){var name=f.querySelector('title').textContent.split('\\n')[0],
		  hit=f.getAttribute('data-d')!=='0'&&re.test(name),fill=f.querySelector('rect').getAttribute('fill');
		  if(hit)want++;if(f.classList.contains('m'))m++;if(hit!==(fill==='#e020e0'))wrong++;});
		return {m:m,want:want,wrong:wrong,text:document.getElementById('matched').textContent,btn:document.getElementById('search').textContent};})()`);
	check(s.want > 0 && s.m === s.want && s.wrong === 0, `search highlights exactly the ${s.want} matching frames (${s.m} marked, ${s.wrong} wrong)`);
	check(s.text.startsWith(`Matched: ${share}%`), `matched share "${s.text}" = ${share}%`);
	check(s.btn === 'Reset Search', 'Search button turns into Reset Search');
	await shot(`flame-${tag}3-search.png`);

	// 6. zoom while searching, then Escape clears both
	await click(fc.x, fc.y);
	await shot(`flame-${tag}4-zoom-search.png`);
	await send('Input.dispatchKeyEvent', { type: 'keyDown', key: 'Escape', code: 'Escape', windowsVirtualKeyCode: 27 });
	await send('Input.dispatchKeyEvent', { type: 'keyUp', key: 'Escape', code: 'Escape', windowsVirtualKeyCode: 27 });
	const e = await js(`({m:document.querySelectorAll('#frames svg.f.m').length,h:document.querySelectorAll('#frames svg.f.h').length,t:document.getElementById('matched').textContent})`);
	check(e.m === 0 && e.h === 0 && e.t === '', 'Escape resets zoom and search');
} catch (err) {
	B.fail(err);
}
B.done();
