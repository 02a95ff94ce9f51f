import { NODE_MAJOR } from '../../infra/bundling.ts';

/**
 * Vitest global setup: says which Node.js runs the suite and refuses any other major than the one
 * the functions deploy on (Lambda `nodejs24.x`), so a green run means green on what ships.
 * `npm ci` brings that Node (the `node-<platform>-<arch>` packages in `optionalDependencies`) and
 * npm scripts put it first on `PATH`; see the README's "The two commands".
 */
export default function checkNodeRuntime(): void {
  const major = Number(process.versions.node.split('.')[0]);
  console.log(
    `Tests run on Node.js ${process.version} (${process.execPath}); Lambda runs nodejs${NODE_MAJOR}.x`,
  );
  if (major !== NODE_MAJOR) {
    throw new Error(
      `The tests must run on Node.js ${NODE_MAJOR}, the functions' Lambda runtime, not ${process.version}. ` +
        `Run them with \`npm test\` (it uses the Node ${NODE_MAJOR} that \`npm ci\` installs on Linux x64/arm64, ` +
        `macOS x64 and Windows x64), or install Node.js ${NODE_MAJOR} and put it first on PATH.`,
    );
  }
}
