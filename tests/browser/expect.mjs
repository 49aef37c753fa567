// What a drip report page must show, from drip's text commands (not from
// the page): node tests/browser/expect.mjs DRIP REGEX [--base=BASE] [--watch-round=N] FILE...
// prints the EXPECT.json that report.mjs checks the page against.
import { execFileSync } from 'node:child_process';

const [drip, regex, ...args] = process.argv.slice(2);
const base = args.filter((a) => a.startsWith('--base=')).map((a) => a.slice(7));
const files = args.filter((a) => !a.startsWith('--'));
// a drip watch page: written after that round
const watch = args.filter((a) => a.startsWith('--watch-round=')).map((a) => +a.slice(14))[0];
const rules = args.filter((a) => a.startsWith('--max-'));
const run = (...a) => execFileSync(drip, a, { encoding: 'utf8', maxBuffer: 1 << 30 });

// The rows of drip top (flat flat% sum% cum cum% name) or drip diff
// (base new delta delta% name, without its [new]/[gone] marks and the
// (total) row), each field as printed.
function rows(text) {
	const lines = text.split('\n'), out = [];
	let on = false;
	for (const l of lines) {
		if (/^ +(flat +flat%|base +new +delta)/.test(l)) { on = true; continue; }
		if (!on || !l.trim()) continue;
		const m = /^ *(\S+) +(\S+) +(\S+) +(\S+)(?: +(\S+))?  (.*)$/.exec(l);
		if (!m) continue;
		if (m[6] === '(total)') continue;
		const f = [m[1], m[2], m[3], m[4]];
		if (m[5] !== undefined) f.push(m[5]);
		f.push(m[6].replace(/ \[(new|gone)\]$/, ''));
		out.push(f);
	}
	return out;
}

const info = JSON.parse(run('info', '--format=json', files[files.length - 1]).split('\n')[0]);
const typeNames = info.sample_types.map((t) => t.type);
const type1 = info.sample_types.findIndex((t) => t.default);
const type2 = typeNames.find((t, i) => i !== type1) || typeNames[type1];
const X = { regex, inputs: files.length + base.length, warnings: 0, type1, type2,
	sections: ['summary', 'top', 'flame', 'graph'], diff: base.length > 0, watch };
const newest = files.length > 1 && !base.length ? [files[files.length - 1]] : files;
if (base.length) {
	X.top = rows(run('diff', ...base.map((b) => `--base=${b}`), ...files));
	X.top2 = rows(run('diff', '-i', type2, ...base.map((b) => `--base=${b}`), ...files))[0];
	const bt = JSON.parse(run('info', '--format=json', base[0]).split('\n')[0]).time_nanos;
	if (bt && info.time_nanos && bt > info.time_nanos) X.warnings = 1;
} else {
	X.top = rows(run('top', ...newest));
	X.top2 = rows(run('top', '-i', type2, ...newest))[0];
}
if (rules.length) {
	// a drip check --html page: the verdict first
	let doc;
	try { doc = run('check', '--format=json', ...rules, ...base.map((b) => `--base=${b}`), ...files); } catch (e) { doc = e.stdout; }
	const c = JSON.parse(doc);
	X.sections.unshift('check');
	X.check = { verdict: c.verdict, broken: c.broken, rules: c.rules.map((r) => [r.status === 'fail' ? 'FAIL' : r.status, r.rule, r.message]) };
}
if (files.length >= 3 && !base.length) {
	// a series: the leaks table of drip leaks, after the summary
	let doc;
	try { doc = run('leaks', '--format=json', ...files); } catch (e) { doc = e.stdout; }
	const L = JSON.parse(doc);
	X.sections.splice(1, 0, 'leaks');
	X.leaks = L.sites.map((s) => [String(s.rank), s.verdict, s.name]);
}
if (info.sample_types.length === 1 && /goroutine/.test(typeNames[0])) {
	X.sections.push('goroutines');
	X.goroutines = JSON.parse(run('goroutines', '--format=json', ...newest)).groups.length;
}

// The flame graph's stacks (NEW's; the page draws NEW's widths).
const folded = run('flame', '--format=folded', ...newest).split('\n').filter((l) => l).map((l) => {
	const i = l.lastIndexOf(' ');
	return { fr: l.slice(0, i).split(';'), v: +l.slice(i + 1) };
});
const total = folded.reduce((s, x) => s + x.v, 0);
const re = new RegExp(regex);
const m = folded.reduce((s, x) => s + (x.fr.some((f) => re.test(f)) ? x.v : 0), 0);
X.share = (total ? m / total * 100 : 0).toFixed(2);
// a frame to zoom into: the heaviest at depth 3 (or as deep as there is)
const at = new Map();
const depth = Math.min(3, folded.reduce((a, x) => Math.max(a, x.fr.length), 0));
for (const x of folded) if (x.fr.length >= depth) {
	const k = x.fr.slice(0, depth).join(';');
	at.set(k, (at.get(k) || 0) + x.v);
}
X.frame = [...at.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0].split(';')[depth - 1];
// the sandwich of the top table's first function: direct callers and
// callees, merged over its outermost occurrence in every stack
const sname = X.top[0][X.top[0].length - 1].replace(/ \((partial-)?inline\)$/, '');
const callers = new Map(), callees = new Map();
for (const x of folded) {
	const i = x.fr.indexOf(sname);
	if (i < 0) continue;
	if (i > 0) callers.set(x.fr[i - 1], (callers.get(x.fr[i - 1]) || 0) + x.v);
	if (i + 1 < x.fr.length) callees.set(x.fr[i + 1], (callees.get(x.fr[i + 1]) || 0) + x.v);
}
X.sandwich = { name: sname, callers: [...callers.entries()], callees: [...callees.entries()] };
console.log(JSON.stringify(X));
