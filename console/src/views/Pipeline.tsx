import { useState } from 'preact/hooks';
import type {
  PipelineHealth,
  QueueHealthView,
  RedriveResult,
  Session,
  SpeedToLeadPoint,
} from '#shared/console/views.ts';
import { Failure, Section } from '../components.tsx';
import { formatDuration } from '../format.ts';
import { useApi, useData } from '../live.ts';

const age = (seconds?: number) => (seconds === undefined ? '–' : formatDuration(seconds * 1000));

const QueueRow = ({
  queue,
  canRedrive,
  onRedrive,
}: {
  queue: QueueHealthView;
  canRedrive: boolean;
  onRedrive: (subscriber: string) => void;
}) => {
  const busy = queue.visible + queue.delayed;
  return (
    <tr data-subscriber={queue.subscriber} class={queue.deadLettered > 0 ? 'dead' : ''}>
      <th scope="row">{queue.subscriber}</th>
      <td class="num">{busy}</td>
      <td class="num">{queue.inFlight}</td>
      <td class="num">{age(queue.oldestAgeSeconds)}</td>
      <td class="num dlq">{queue.deadLettered}</td>
      <td class="num">{age(queue.deadLetterOldestAgeSeconds)}</td>
      <td>
        <button
          type="button"
          class="redrive"
          disabled={queue.deadLettered === 0 || !canRedrive}
          title={
            canRedrive ? 'Move the dead-lettered messages back to the queue' : 'Only operators may redrive'
          }
          onClick={() => onRedrive(queue.subscriber)}
        >
          Redrive
        </button>
      </td>
    </tr>
  );
};

const CHART = { width: 640, height: 160, left: 44, bottom: 22, top: 8 };

/** Median speed to lead per hour as bars, the worst as a tick above each. */
export const SpeedChart = ({ points }: { points: SpeedToLeadPoint[] }) => {
  const max = Math.max(1000, ...points.map((p) => p.worstMs ?? 0));
  const plotWidth = CHART.width - CHART.left;
  const plotHeight = CHART.height - CHART.bottom - CHART.top;
  const slot = plotWidth / Math.max(points.length, 1);
  const y = (ms: number) => CHART.top + plotHeight - (ms / max) * plotHeight;
  const answered = points.filter((p) => p.leads > 0);
  const total = answered.reduce((sum, p) => sum + p.leads, 0);
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${CHART.width} ${CHART.height}`} role="img" aria-label="Speed to lead per hour">
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={CHART.left} x2={CHART.width} y1={y(max * f)} y2={y(max * f)} class="grid" />
            <text x={CHART.left - 6} y={y(max * f) + 4} class="axis" text-anchor="end">
              {formatDuration(max * f)}
            </text>
          </g>
        ))}
        {points.map((p, i) => {
          const x = CHART.left + i * slot;
          const label = new Date(p.hour).toLocaleTimeString([], { hour: 'numeric' });
          return (
            <g key={p.hour}>
              <title>{`${label}: ${p.leads} lead(s)${p.medianMs !== undefined ? `, median ${formatDuration(p.medianMs)}, worst ${formatDuration(p.worstMs ?? 0)}` : ''}`}</title>
              {p.medianMs !== undefined && (
                <rect
                  x={x + slot * 0.15}
                  width={slot * 0.7}
                  y={y(p.medianMs)}
                  height={Math.max(1, y(0) - y(p.medianMs))}
                  class="bar"
                />
              )}
              {p.worstMs !== undefined && (
                <line
                  x1={x + slot * 0.15}
                  x2={x + slot * 0.85}
                  y1={y(p.worstMs)}
                  y2={y(p.worstMs)}
                  class="worst"
                />
              )}
              {i % 6 === 0 && (
                <text x={x + slot / 2} y={CHART.height - 6} class="axis" text-anchor="middle">
                  {label}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption>
        {total === 0
          ? `No lead was answered in the last ${points.length} hours.`
          : `${total} lead(s) answered in the last ${points.length} hours. Bars: median per hour; ticks: the slowest.`}
      </figcaption>
    </figure>
  );
};

/** Each step's queue and dead-letter queue, a redrive per step, and speed to lead over the last day. */
export const Pipeline = ({ session }: { session: Session }) => {
  const api = useApi();
  const { data, error, reload } = useData<PipelineHealth>('/api/pipeline?hours=24');
  const [notice, setNotice] = useState<string>();
  const redrive = async (subscriber: string) => {
    try {
      const result = await api.post<RedriveResult>(`/api/queues/${encodeURIComponent(subscriber)}/redrive`);
      setNotice(
        result.taskHandle
          ? `Moving about ${result.messages} message(s) back to ${subscriber} (SQS move task started).`
          : `Moved ${result.messages} message(s) back to ${subscriber}.`,
      );
      reload();
    } catch (failure) {
      setNotice(`Redrive of ${subscriber} failed: ${(failure as Error).message}`);
    }
  };
  if (error && !data) return <Failure error={error} retry={reload} />;
  if (!data) return <p class="loading">Loading the pipeline…</p>;
  const dead = data.queues.filter((q) => q.deadLettered > 0);
  return (
    <div class="pipeline">
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <Section
        title="Queues"
        aside={
          <span class={`summary ${dead.length ? 'bad' : 'good'}`}>
            {dead.length ? `${dead.length} step(s) have dead-lettered messages` : 'No dead-lettered messages'}
          </span>
        }
      >
        <div class="table-scroll">
          <table class="queues">
            <thead>
              <tr>
                <th scope="col">Step</th>
                <th scope="col" class="num">
                  Waiting
                </th>
                <th scope="col" class="num">
                  In flight
                </th>
                <th scope="col" class="num">
                  Oldest
                </th>
                <th scope="col" class="num">
                  Dead-lettered
                </th>
                <th scope="col" class="num">
                  Oldest dead
                </th>
                <th scope="col">
                  <span class="visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.queues.map((queue) => (
                <QueueRow
                  key={queue.subscriber}
                  queue={queue}
                  canRedrive={session.canRedrive}
                  onRedrive={(s) => void redrive(s)}
                />
              ))}
            </tbody>
          </table>
        </div>
      </Section>
      <Section title="Speed to lead, last 24 hours">
        <SpeedChart points={data.speedToLead.points} />
      </Section>
    </div>
  );
};
