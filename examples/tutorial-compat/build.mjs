// Builds the app into dist/ with esbuild (runs on Node 18 and 20): one
// bundle for the script, one for the styles it imports, and index.html.
// `node build.mjs --serve` serves it on http://localhost:3000 while you work.
import { build, context } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';

const options = {
  entryPoints: ['src/index.js'],
  bundle: true,
  outdir: 'dist',
  minify: true,
  sourcemap: false,
  target: ['chrome100', 'firefox100', 'safari15'],
  loader: { '.js': 'jsx', '.png': 'file', '.svg': 'file', '.woff': 'file', '.woff2': 'file' },
  define: { 'process.env.NODE_ENV': '"production"', global: 'window' },
  // CRA 3, the tutorial's build, filled in Node's path and process and
  // hoisted lodash for stream-chat-react 1.2; esbuild is told.
  alias: { path: 'path-browserify' },
  inject: ['shims/process.js'],
  logLevel: 'warning',
};

await rm('dist', { recursive: true, force: true });
await mkdir('dist', { recursive: true });
await copyFile('public/index.html', 'dist/index.html');
if (process.argv.includes('--serve')) {
  const ctx = await context(options);
  const { port } = await ctx.serve({ servedir: 'dist', host: 'localhost', port: 3000 });
  console.log(`serving http://localhost:${port}/`);
} else {
  await build(options);
}
