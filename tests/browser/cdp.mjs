// The browser tests' DevTools-protocol client (Node's WebSocket, no npm
// packages), shared by flame.mjs and report.mjs: start headless Chromium
// with a throwaway profile, open one page target, and drive it like a
// user (mouse, keys, typing), with pass/fail counting and screenshots.
//
//   import { start } from './cdp.mjs';
//   const b = await start({ width: 1280, height: 800, timeout: 60 });
//   await b.navigate('file:///...');  b.check(await b.js('...'), 'what');
//   b.done('label');   // prints "browser (label): N passed, M failed", exits
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// start: Chromium at width x height; the whole run must end within
// timeout seconds.  Records every request the page makes (requests),
// uncaught exceptions and console errors.
export async function start({ width = 1280, height = 800, timeout = 60 } = {}) {
	const chrome = process.env.CHROMIUM || '/usr/bin/chromium';
	const profileDir = mkdtempSync(join(tmpdir(), 'drip-chromium-'));
	const b = { checks: 0, failures: 0, requests: [], exceptions: [], consoleErrors: [] };
	let proc, ws, session, nextId = 1;
	const pending = new Map(), waiters = [];

	b.finish = (code) => {
		try { proc && proc.kill('SIGKILL'); } catch (e) {}
		try { rmSync(profileDir, { recursive: true, force: true }); } catch (e) {}
		process.exit(code);
	};
	b.check = (ok, what) => {
		b.checks++;
		if (ok) console.log(`ok   ${what}`);
		else { b.failures++; console.log(`FAIL ${what}`); }
		return ok;
	};
	b.fail = (err) => { b.failures++; console.log(`FAIL ${err && err.stack || err}`); };
	b.done = (label) => {
		console.log(`browser${label ? ' (' + label + ')' : ''}: ${Math.max(b.checks - b.failures, 0)} passed, ${b.failures} failed`);
		try { ws.close(); } catch (e) {}
		b.finish(b.failures ? 1 : 0);
	};
	setTimeout(() => { console.log(`FAIL timeout (${timeout} s)`); b.finish(2); }, timeout * 1000).unref();

	proc = spawn(chrome, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
		'--disable-background-networking', '--disable-component-update', '--disable-sync',
		'--disable-dev-shm-usage', `--user-data-dir=${profileDir}`, '--remote-debugging-port=0',
		`--window-size=${width},${height}`, 'about:blank'], { stdio: ['ignore', 'ignore', 'ignore'] });
	proc.on('exit', (c) => { if (c !== null && c !== 0) { console.log(`FAIL chromium exited ${c}`); b.finish(2); } });

	let wsPath = null;
	for (let i = 0; i < 300 && !wsPath; i++) {
		const f = join(profileDir, 'DevToolsActivePort');
		if (existsSync(f)) {
			const [port, path] = readFileSync(f, 'utf8').split('\n');
			if (port && path) wsPath = `ws://127.0.0.1:${port}${path}`;
		}
		if (!wsPath) await sleep(100);
	}
	if (!wsPath) { console.log('FAIL chromium did not open its DevTools port'); b.finish(2); }

	ws = new WebSocket(wsPath);
	await new Promise((r, j) => { ws.onopen = r; ws.onerror = j; });
	ws.onmessage = (m) => {
		const msg = JSON.parse(m.data);
		if (msg.id && pending.has(msg.id)) {
			const { res, rej } = pending.get(msg.id);
			pending.delete(msg.id);
			msg.error ? rej(new Error(JSON.stringify(msg.error))) : res(msg.result);
		} else if (msg.method) {
			if (msg.method === 'Network.requestWillBeSent') b.requests.push(msg.params.request.url);
			if (msg.method === 'Runtime.exceptionThrown') b.exceptions.push(JSON.stringify(msg.params.exceptionDetails).slice(0, 400));
			if (msg.method === 'Log.entryAdded' && msg.params.entry.level === 'error') b.consoleErrors.push(msg.params.entry.text);
			for (const w of waiters.slice()) if (w.method === msg.method) { waiters.splice(waiters.indexOf(w), 1); w.res(msg.params); }
		}
	};
	// send: one protocol command to the page's session (browser-level
	// before the page is attached)
	b.send = (method, params = {}) => {
		const id = nextId++;
		ws.send(JSON.stringify({ id, method, params, sessionId: session }));
		return new Promise((res, rej) => pending.set(id, { res, rej }));
	};
	// event: the next event of that name (ask before causing it)
	b.event = (method) => new Promise((res) => waiters.push({ method, res }));
	b.js = async (expr) => {
		const r = await b.send('Runtime.evaluate', { expression: expr, returnByValue: true, awaitPromise: true });
		if (r.exceptionDetails) throw new Error(`${expr}: ${r.exceptionDetails.text} ${JSON.stringify(r.exceptionDetails.exception)}`);
		return r.result.value;
	};
	b.mouse = (type, x, y, modifiers = 0) => b.send('Input.dispatchMouseEvent',
		{ type, x, y, modifiers, button: type === 'mouseMoved' ? 'none' : 'left', clickCount: 1 });
	b.click = async (x, y, modifiers = 0) => {
		await b.mouse('mouseMoved', x, y, modifiers); await b.mouse('mousePressed', x, y, modifiers); await b.mouse('mouseReleased', x, y, modifiers);
	};
	// clickEl: scroll an element (a JS expression) into view, click its
	// centre like a user; false when there is no such element
	b.clickEl = async (sel) => {
		const c = await b.js(`(function(){var e=${sel};if(!e)return null;e.scrollIntoView({block:'center'});var r=e.getBoundingClientRect();return {x:r.x+r.width/2,y:r.y+r.height/2};})()`);
		if (!c) return false;
		await b.click(c.x, c.y);
		return true;
	};
	b.type = async (sel, text) => {
		await b.js(`(function(){var e=${sel};e.scrollIntoView({block:'center'});e.focus();e.select&&e.select();})()`);
		await b.send('Input.insertText', { text });
	};
	b.key = async (k, code, vk) => {
		await b.send('Input.dispatchKeyEvent', { type: 'keyDown', key: k, code, windowsVirtualKeyCode: vk });
		await b.send('Input.dispatchKeyEvent', { type: 'keyUp', key: k, code, windowsVirtualKeyCode: vk });
	};
	// shot: a PNG of the viewport (after scrolling sel, a CSS selector, to
	// the top when given)
	b.shot = async (path, sel) => {
		if (sel) await b.js(`document.querySelector(${JSON.stringify(sel)}).scrollIntoView({block:'start'})`);
		const r = await b.send('Page.captureScreenshot', { format: 'png' });
		writeFileSync(path, Buffer.from(r.data, 'base64'));
		console.log(`     screenshot ${path}`);
	};
	// navigate: load url, resolving when its load event has fired
	b.navigate = async (url) => {
		const loaded = b.event('Page.loadEventFired');
		await b.send('Page.navigate', { url });
		await loaded;
	};

	const { targetId } = await b.send('Target.createTarget', { url: 'about:blank' });
	({ sessionId: session } = await b.send('Target.attachToTarget', { targetId, flatten: true }));
	await b.send('Page.enable');
	await b.send('Runtime.enable');
	await b.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });
	return b;
}
