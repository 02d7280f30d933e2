// Builds the dashboard into dist/ with esbuild (runs on Node 18 and 20).
// `node build.mjs --serve` serves dist/ on http://127.0.0.1:5173 and
// rebuilds on change. SMSBRIDGE_URL (default http://127.0.0.1:8080) is the
// smsbridge the built page calls; a page opened with ?api=URL uses that
// instead.
import { cp, mkdir } from 'node:fs/promises';
import * as esbuild from 'esbuild';

const serve = process.argv.includes('--serve');
const apiURL = process.env.SMSBRIDGE_URL || 'http://127.0.0.1:8080';

const options = {
  entryPoints: ['src/main.jsx'],
  bundle: true,
  outdir: 'dist',
  entryNames: 'app',
  format: 'esm',
  target: ['es2020'],
  jsx: 'automatic',
  minify: !serve,
  sourcemap: true,
  loader: { '.svg': 'file', '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.eot': 'file', '.png': 'file' },
  assetNames: 'assets/[name]-[hash]',
  define: {
    'process.env.NODE_ENV': JSON.stringify(serve ? 'development' : 'production'),
    SMSBRIDGE_URL: JSON.stringify(apiURL),
    SMS_CHANNEL_TYPE: JSON.stringify(process.env.SMS_CHANNEL_TYPE || 'sms'),
  },
  logLevel: serve ? 'info' : 'warning',
};

await mkdir('dist', { recursive: true });
await cp('index.html', 'dist/index.html');
if (serve) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
  const { port } = await ctx.serve({ host: '127.0.0.1', port: 5173, servedir: 'dist' });
  console.log(`dashboard: http://127.0.0.1:${port}/ (smsbridge at ${apiURL})`);
} else {
  await esbuild.build(options);
}
