// Builds dist/server.js: the server, the engine's build and the packages they import, in one ES module.
// A start then reads and compiles one file instead of resolving, reading and linking some 1,300 modules,
// which was most of the CPU time of a restart.
//
// The bundle runs where the sources were built, beside the same node_modules and the engine's dist/ and
// migrations/ (npm start; the Docker image installs the production dependencies and copies those folders).
// A module that finds files beside itself (the engine's migrations and worker-thread modules, a package's
// own assets or its native addon) is told where its own file lies there, not where the bundle lies.
import { readFile } from 'node:fs/promises';
import { dirname, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const outfile = `${here}/dist/server.js`;

/** not bundled, loaded from node_modules when first needed */
const external = [
  // imported by name only when the engine uses it (importPeer); PGlite also reads its WebAssembly beside itself
  '@electric-sql/pglite',
  'postgres',
  // the tracing SDK, loaded only when OTEL_EXPORTER_OTLP_ENDPOINT is set (tracing.ts), and the API, of which
  // the SDK, the server and the engine must share one copy: a tracer got from another never sees the SDK
  '@opentelemetry/*',
  // a native addon msgpackr (BullMQ's) uses when it is installed
  'msgpackr-extract',
];

// CommonJS modules inside an ES module have neither require nor __dirname of their own
const banner = `import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
const require = __createRequire(import.meta.url);
const __bundledUrl = (path) => new URL(path, import.meta.url).href;
const __bundledPath = (path) => __fileURLToPath(new URL(path, import.meta.url));`;

const LOCATION = /import\.meta\.url|(?<![\w$.])__(?:dirname|filename)(?![\w$])/g;
const DECLARES_LOCATION = /(?:var|let|const|function)\s+__(?:dirname|filename)\b/;

/** the path from the bundle to `file`, as a URL path */
const fromBundle = (file) => relative(dirname(outfile), file).split(sep).join('/');

/** Rewrites import.meta.url, __dirname and __filename in the modules bundled from outside this package's sources. */
const ownLocations = {
  name: 'own-locations',
  setup(bundler) {
    bundler.onLoad({ filter: /\.[cm]?js$/ }, async ({ path }) => {
      // the file is read here once and handed on, changed or not, rather than left to esbuild to read again
      const text = await readFile(path, 'utf8');
      const declares = DECLARES_LOCATION.test(text);
      const contents = text.replace(LOCATION, (found) => {
        if (found === 'import.meta.url') return `__bundledUrl(${JSON.stringify(fromBundle(path))})`;
        if (declares) return found;
        return `__bundledPath(${JSON.stringify(fromBundle(found === '__dirname' ? dirname(path) : path))})`;
      });
      return { contents, loader: 'js', resolveDir: dirname(path) };
    });
  },
};

await build({
  entryPoints: [`${here}/src/server.ts`],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external,
  banner: { js: banner },
  plugins: [ownLocations],
  sourcemap: true,
  // the map gives positions in the TypeScript sources; the sources themselves are beside it in the repository
  sourcesContent: false,
  logLevel: 'warning',
});
