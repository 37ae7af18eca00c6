// Bundles the page's own decoder (dist/browser/page-decoder.js: @semface/sdk/browser, codec-core's
// portable codec, onnxruntime-web) into public/build/semface-browser.js for the viewer page.
// Run after `tsc -b` (root `pnpm build` does). Output is git-ignored.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

// The SDK core imports a few Node-only packages on demand (`ws` when there is no global WebSocket, the
// codec-core main entry when no codec is given). The page passes a WebSocket-capable browser and its
// own codec, so those imports never run: they stay external dynamic imports instead of being bundled.
const nodeOnlyOnDemand = {
  name: 'node-only-on-demand',
  setup(b) {
    b.onResolve({ filter: /^(ws|@semface\/codec-core|onnxruntime-node)$/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined,
    );
  },
};

/** Bundles one page entry (dist/browser/<entry>.js) into public/build/<out>.js and reports its size. */
async function bundle(entry, out) {
  const result = await build({
    entryPoints: [`${root}dist/browser/${entry}.js`],
    outfile: `${root}public/build/${out}.js`,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    legalComments: 'none',
    metafile: true,
    plugins: [nodeOnlyOnDemand],
    logLevel: 'warning',
  });
  const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + (o.entryPoint ? o.bytes : 0), 0);
  process.stdout.write(`viewer: bundled public/build/${out}.js (${(bytes / 1024).toFixed(0)} KiB)\n`);
}

await bundle('page-decoder', 'semface-browser');
// The VRM avatar view (three.js + three-vrm + the SDK rig), loaded by the page on its own so the
// mesh view does not wait for three.js. Licences of what it bundles: packages/viewer/NOTICE.
await bundle('vrm-view', 'semface-vrm');
