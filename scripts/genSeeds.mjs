// Writes the sample workspaces' data files with a seeded generator, so every run produces the
// same bytes. `node scripts/genSeeds.mjs` (re)writes them; `--check` fails when a committed file differs.
import { writeFileSync, readFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const check = process.argv.includes('--check');

/** mulberry32: a tiny deterministic PRNG. */
function rng(seed) {
  let a = seed >>> 0;
  return () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}
const pick = (r, list) => list[Math.floor(r() * list.length)];
const day = (start, offset) => new Date(Date.UTC(...start) + offset * 86400000).toISOString().slice(0, 10);

const firstNames = ['Michael', 'Shawn', 'Kathleen', 'Jimmy', 'Katherine', 'Sarah', 'Martin', 'Frank', 'Jennifer', 'Henry', 'Fred', 'Anne', 'Paul', 'Ruth', 'Lisa', 'Aaron', 'Adam', 'Norma', 'Diana', 'Gloria'];
const lastInitials = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');

export function jaffleShop() {
  const r = rng(42);
  const customers = [['id', 'first_name', 'last_name']];
  for (let i = 1; i <= 200; i++) customers.push([i, pick(r, firstNames), `${pick(r, lastInitials)}.`]);
  const orders = [['id', 'user_id', 'order_date', 'status']];
  const statuses = ['completed', 'completed', 'completed', 'shipped', 'placed', 'return_pending', 'returned'];
  for (let i = 1; i <= 400; i++) orders.push([i, 1 + Math.floor(r() * 200), day([2018, 0, 1], Math.floor(i * 0.25)), pick(r, statuses)]);
  const payments = [['id', 'order_id', 'payment_method', 'amount']];
  const methods = ['credit_card', 'credit_card', 'coupon', 'bank_transfer', 'gift_card'];
  let pid = 1;
  for (let o = 1; o <= 400; o++) {
    const n = r() < 0.15 ? 2 : 1;
    for (let k = 0; k < n; k++) payments.push([pid++, o, pick(r, methods), 100 * Math.floor(r() * 30)]);
  }
  const csv = (rows) => rows.map((row) => row.join(',')).join('\n') + '\n';
  return {
    'seeds/jaffle_shop/seeds/raw_customers.csv': csv(customers),
    'seeds/jaffle_shop/seeds/raw_orders.csv': csv(orders),
    'seeds/jaffle_shop/seeds/raw_payments.csv': csv(payments),
  };
}

const all = { ...jaffleShop() };
let stale = 0;
for (const [rel, text] of Object.entries(all)) {
  const p = join(root, rel);
  if (check) {
    if (!existsSync(p) || readFileSync(p, 'utf8') !== text) { console.error(`out of date: ${rel}`); stale++; }
    continue;
  }
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
}
if (check && stale) process.exit(1);
console.log(check ? 'seed data up to date' : `wrote ${Object.keys(all).length} files`);
