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

const csv = (rows) => rows.map((row) => row.join(',')).join('\n') + '\n';

/** dbt's classic jaffle shop raw tables (customers, orders, payments) from one seed. */
function jaffleTables(seed) {
  const r = rng(seed);
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
  return { raw_customers: csv(customers), raw_orders: csv(orders), raw_payments: csv(payments) };
}

/** The three raw tables under `dir` (relative to the repository), named `raw_*.csv`. */
const jaffleFiles = (dir, seed) => Object.fromEntries(Object.entries(jaffleTables(seed)).map(([name, text]) => [`${dir}/${name}.csv`, text]));

export const jaffleShop = () => jaffleFiles('seeds/jaffle_shop/seeds', 42);
/** Doc 000: the same tables, read by SQL-returning Python assets from data/. */
export const dagsterJaffle = () => jaffleFiles('seeds/dagster_jaffle/data', 7);
/** Doc 001: the tutorial's three CSVs, loaded by `import_url_to_duckdb` from data/ instead of a URL. */
export const etlTutorial = () => jaffleFiles('seeds/etl_tutorial/data', 1001);

/** Doc 002: the two CSV sources an external system keeps updating. */
export function eventDriven() {
  const r = rng(2002);
  const regions = ['north', 'south', 'east', 'west'];
  const customers = [['customer_id', 'name', 'region', 'signup_date']];
  for (let i = 1; i <= 60; i++) customers.push([i, `${pick(r, firstNames)} ${pick(r, lastInitials)}.`, pick(r, regions), day([2023, 0, 1], Math.floor(r() * 300))]);
  const orders = [['order_id', 'customer_id', 'order_date', 'amount', 'status']];
  const statuses = ['placed', 'shipped', 'completed', 'completed', 'returned'];
  for (let i = 1; i <= 240; i++) orders.push([i, 1 + Math.floor(r() * 60), day([2023, 10, 1], Math.floor(i / 8)), (5 + r() * 95).toFixed(2), pick(r, statuses)]);
  return { 'seeds/event_driven/source_data/customers.csv': csv(customers), 'seeds/event_driven/source_data/orders.csv': csv(orders) };
}

const cities = [
  ['Amsterdam', 'NL', 52.37, 4.9, 4], ['Berlin', 'DE', 52.52, 13.4, 2], ['Lisbon', 'PT', 38.72, -9.14, 13],
  ['Madrid', 'ES', 40.42, -3.7, 8], ['Oslo', 'NO', 59.91, 10.75, -3], ['Rome', 'IT', 41.9, 12.5, 11],
];

/** Doc 003: stations, and one CSV of 3-hourly readings per day (the daily partitions). */
export function weatherCourse() {
  const r = rng(2003);
  const out = { 'seeds/weather_course/data/stations.csv': csv([['city', 'country', 'latitude', 'longitude'], ...cities.map(([c, k, la, lo]) => [c, k, la, lo])]) };
  for (let d = 0; d < 7; d++) {
    const date = day([2024, 0, 1], d);
    const rows = [['city', 'reading_time', 'temperature_c', 'humidity_pct', 'wind_kph', 'precipitation_mm']];
    for (const [city, , , , base] of cities) {
      for (let h = 0; h < 24; h += 3) {
        const diurnal = 4 * Math.sin(((h - 9) / 24) * 2 * Math.PI);
        rows.push([city, `${date} ${String(h).padStart(2, '0')}:00:00`, (base + diurnal + (r() - 0.5) * 4).toFixed(1), 50 + Math.floor(r() * 45), (r() * 40).toFixed(1), r() < 0.7 ? '0.0' : (r() * 6).toFixed(1)]);
      }
    }
    out[`seeds/weather_course/data/weather/${date}.csv`] = csv(rows);
  }
  return out;
}

/** Doc 004: what the Airbyte GitHub connection would land: stargazers and their users. */
export function stargazer() {
  const r = rng(2004);
  const repos = ['dbt-labs/dbt-core', 'dagster-io/dagster', 'duckdb/duckdb', 'apache/airflow'];
  const users = [['id', 'login', 'type', 'site_admin']];
  for (let i = 1; i <= 120; i++) users.push([1000 + i, `${pick(r, firstNames).toLowerCase()}${Math.floor(r() * 900) + 100}`, r() < 0.95 ? 'User' : 'Organization', 'false']);
  const stars = [['repository', 'user_id', 'starred_at']];
  for (let i = 0; i < 300; i++) {
    const t = new Date(Date.UTC(2022, 0, 1) + Math.floor(r() * 700 * 86400) * 1000).toISOString().replace('.000Z', 'Z');
    stars.push([pick(r, repos), 1001 + Math.floor(r() * 120), t]);
  }
  stars.splice(1, stars.length - 1, ...stars.slice(1).sort((a, b) => (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0)));
  return { 'seeds/stargazer/data/stargazers.csv': csv(stars), 'seeds/stargazer/data/stargazers_user.csv': csv(users) };
}

const all = { ...jaffleShop(), ...dagsterJaffle(), ...etlTutorial(), ...eventDriven(), ...weatherCourse(), ...stargazer() };
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
