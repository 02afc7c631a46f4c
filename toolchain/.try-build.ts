import { buildProgram } from './src/build/program-build.ts';
const crate = process.argv[2]!;
const t = performance.now();
try {
  const r = await buildProgram({ cargoDir: 'test/fixtures', crate });
  console.log(JSON.stringify({ size: r.so.length, legalised: r.legalised, seconds: r.seconds, link: r.link }, null, 1).slice(0, 3000));
} catch (e) { console.log('ERR', (e as Error).name, (e as Error).message, (e as any).functionName); }
console.log('total', (performance.now() - t) / 1000);
