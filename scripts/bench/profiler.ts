/**
 * CPU profiles for `npm run bench -- --profile`: the V8 sampling profiler (what `node --cpu-prof`
 * writes), started and stopped around one phase of the benchmark in this process, saved as
 * `.cpuprofile` files that Chrome DevTools and VS Code open; plus a summary of where the time went.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Runs `phase` under the sampling profiler and writes the profile to `file`. */
export const profiled = async <T>(
  file: string,
  phase: () => Promise<T>,
): Promise<{ result: T; profile: CpuProfile }> => {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  try {
    const result = await phase();
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
    await writeFile(file, JSON.stringify(profile));
    return { result, profile };
  } finally {
    session.disconnect();
  }
};

/** Where a sample's code comes from: a package, our source folder, Node.js itself, or V8. */
const originOf = (frame: ProfileNode['callFrame']): string => {
  const { url, functionName } = frame;
  if (url === '') return functionName.startsWith('(') ? `V8 ${functionName}` : `V8 builtin ${functionName}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return 'node: (HTTP, streams, fs)';
  const ours = /\/(shared|functions|scripts|events)\//.exec(url);
  return ours ? `leadline ${ours[1]}/` : url;
};

/** Self time by origin (package, our folders, Node.js), largest first, as shares of the total. */
export const selfTimeByOrigin = (
  profile: CpuProfile,
): Array<{ origin: string; ms: number; share: number }> => {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const micros = profile.timeDeltas[i] ?? 0;
    if (!node || node.callFrame.functionName === '(idle)') return;
    const origin = originOf(node.callFrame);
    totals.set(origin, (totals.get(origin) ?? 0) + micros);
    total += micros;
  });
  return [...totals.entries()]
    .map(([origin, micros]) => ({ origin, ms: micros / 1000, share: micros / total }))
    .sort((a, b) => b.ms - a.ms);
};
