// Summarises a V8 .cpuprofile (node --cpu-prof): top functions by self time, top by total (inclusive)
// time, and self time grouped by where the code lives (a package under node_modules, a server
// directory, node internals, native/GC).
//
//   npx tsx bench/tools/cpuprofile-summary.ts <file.cpuprofile> [--top 30] [--focus <function name>]
//
// --focus also prints what the named function's total time is spent in (its callees by total time).
import fs from 'node:fs';
import path from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a));
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const top = Number(flag('--top') ?? 30);
const focus = flag('--focus');
if (!file) {
  console.error('usage: tsx bench/tools/cpuprofile-summary.ts <file.cpuprofile> [--top N] [--focus fn]');
  process.exit(2);
}

const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
const byId = new Map<number, ProfileNode>();
const parent = new Map<number, number>();
for (const n of profile.nodes) byId.set(n.id, n);
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const cwd = process.cwd();
function shortUrl(url: string): string {
  const p = url.startsWith('file://') ? decodeURIComponent(url.slice(7)) : url;
  return p.startsWith(cwd) ? path.relative(cwd, p) : p;
}
function label(f: CallFrame): string {
  const name = f.functionName || '(anonymous)';
  return f.url ? `${name} ${shortUrl(f.url)}:${f.lineNumber + 1}` : name;
}
function area(f: CallFrame): string {
  if (!f.url) return f.functionName.startsWith('(') ? f.functionName : `(native) ${f.functionName}`;
  const p = shortUrl(f.url);
  const nm = p.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = p.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (p.startsWith('node:')) return 'node internals';
  const parts = p.split('/');
  return parts.slice(0, Math.min(parts.length - 1, 4)).join('/') || p;
}

// Time per sample (µs): V8 records the delta before each sample.
const selfUs = new Map<number, number>();
let totalUs = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const dt = Math.max(0, profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0);
  const id = profile.samples[i]!;
  selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
  totalUs += dt;
}

const selfByLabel = new Map<string, number>();
const selfByArea = new Map<string, number>();
const totalByLabel = new Map<string, number>();
const focusCallees = new Map<string, number>();
let focusTotal = 0;
for (const [id, us] of selfUs) {
  const node = byId.get(id)!;
  const l = label(node.callFrame);
  selfByLabel.set(l, (selfByLabel.get(l) ?? 0) + us);
  const a = area(node.callFrame);
  selfByArea.set(a, (selfByArea.get(a) ?? 0) + us);
  // inclusive: every distinct function on the stack gets the sample once
  const seen = new Set<string>();
  const stack: string[] = [];
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const f = byId.get(cur)!.callFrame;
    const fl = label(f);
    stack.push(fl);
    if (seen.has(fl)) continue;
    seen.add(fl);
    totalByLabel.set(fl, (totalByLabel.get(fl) ?? 0) + us);
  }
  if (focus) {
    const at = stack.findIndex((s) => s.startsWith(`${focus} `) || s === focus);
    if (at >= 0) {
      focusTotal += us;
      const callee = at > 0 ? stack[at - 1]! : '(self)';
      focusCallees.set(callee, (focusCallees.get(callee) ?? 0) + us);
    }
  }
}

const pct = (us: number) => `${((100 * us) / totalUs).toFixed(1).padStart(5)} %`;
const ms = (us: number) => `${(us / 1000).toFixed(0).padStart(7)} ms`;
const print = (title: string, m: Map<string, number>, n: number) => {
  console.log(`\n${title}`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, n))
    console.log(`${ms(us)} ${pct(us)}  ${k}`);
};

console.log(
  `${path.basename(file)}: ${(totalUs / 1e6).toFixed(2)} s sampled, ${profile.samples.length} samples, ` +
    `${(((selfByLabel.get('(idle)') ?? 0) / totalUs) * 100).toFixed(1)} % idle`,
);
print('Self time by area', selfByArea, top);
print('Top functions by self time', selfByLabel, top);
print('Top functions by total time', totalByLabel, top);
if (focus) print(`Inside ${focus} (${ms(focusTotal).trim()}), by callee`, focusCallees, top);
