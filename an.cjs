const fs = require('fs');
const f = process.argv[2];
const rows = fs.readFileSync(f, 'utf8').trim().split('\n').map(JSON.parse);
const V = ['47b6b7e', '9c59bc4', 'a68860f'];
const fits = (x) => x.best <= 24000;
const lost = (x, v) => x.r[v][3] > 0 && fits(x);
const out = { file: f, cells: rows.length, fits: rows.filter(fits).length };
out.lostWhereFits = V.map((_, v) => rows.filter((x) => lost(x, v)).length);
out.keysLostWhereFits = V.map((_, v) => rows.filter(fits).reduce((s, x) => s + x.r[v][3], 0));
const pair = (a, b) => ({ newOnly: rows.filter((x) => lost(x, b) && !lost(x, a)).length, oldOnly: rows.filter((x) => lost(x, a) && !lost(x, b)).length });
out.old_vs_head = pair(0, 2); out.old_vs_9c = pair(0, 1); out.c9_vs_head = pair(1, 2);
const cmp = (a, b) => { let slow = 0, fast = 0; for (const x of rows) { if (x.r[a][3] || x.r[b][3]) continue; const q = x.r[b][0] / x.r[a][0]; if (q > 1.2) slow++; else if (q < 1 / 1.2) fast++; } return { slower20: slow, faster20: fast }; };
out.speed_old_vs_head = cmp(0, 2); out.speed_9c_vs_head = cmp(1, 2);
out.total429 = V.map((_, v) => rows.reduce((s, x) => s + x.r[v][2], 0));
out.totalReq = V.map((_, v) => rows.reduce((s, x) => s + x.r[v][1], 0));
out.lostAny = V.map((_, v) => rows.filter((x) => x.r[v][3] > 0).length);
console.log(JSON.stringify(out));
if (process.argv[3]) for (const x of rows) { const show = process.argv[3] === 'new' ? lost(x, 2) && !lost(x, 0) : process.argv[3] === 'fix' ? lost(x, 2) && !lost(x, 1) : process.argv[3] === 'fixgood' ? lost(x,1) && !lost(x,2) : process.argv[3]==='old' ? lost(x,0)&&!lost(x,2) : false; if (show) console.log(JSON.stringify({ i: x.i, best: x.best, r: x.r, cell: x.cell })); }
