import type { ComponentChildren } from 'preact';
import type { Grade, Tone } from '#shared/console/views.ts';
import { ApiError } from './api.ts';

export const GradeBadge = ({ grade, score }: { grade?: Grade; score?: number }) =>
  grade ? (
    <span class={`badge grade-${grade}`} title={`Score ${score ?? '–'} of 100`}>
      {grade}
      {score !== undefined && <span class="score"> {score}</span>}
    </span>
  ) : (
    <span class="badge muted">not scored</span>
  );

export const ToneBadge = ({
  tone,
  children,
  title,
}: {
  tone: Tone;
  children: ComponentChildren;
  title?: string;
}) => (
  <span class={`badge tone-${tone}`} title={title}>
    {children}
  </span>
);

const CHANNELS = {
  sms: { label: 'SMS', title: 'Text message' },
  whatsapp: { label: 'WhatsApp', title: 'WhatsApp message' },
  email: { label: 'Email', title: 'Email' },
} as const;

export const ChannelIcon = ({ channel }: { channel: keyof typeof CHANNELS }) => (
  <span class="channel" title={CHANNELS[channel].title}>
    {CHANNELS[channel].label}
  </span>
);

/** What went wrong, and a way on: "Try again", or "Sign in again" once the session has ended (a reload signs in). */
export const Failure = ({ error, retry }: { error: Error; retry?: () => void }) => {
  const signedOut = error instanceof ApiError && error.status === 401;
  return (
    <div class="failure" role="alert">
      <strong>{signedOut ? 'Signed out' : 'Could not load this'}</strong>
      <span> {error.message}</span>
      {signedOut ? (
        <button type="button" class="link" onClick={() => window.location.reload()}>
          Sign in again
        </button>
      ) : (
        retry && (
          <button type="button" class="link" onClick={retry}>
            Try again
          </button>
        )
      )}
    </div>
  );
};

export const Empty = ({ children }: { children: ComponentChildren }) => <div class="empty">{children}</div>;

export const Section = ({
  title,
  aside,
  children,
  class: className,
}: {
  title: string;
  aside?: ComponentChildren;
  children: ComponentChildren;
  class?: string;
}) => (
  <section class={`panel ${className ?? ''}`}>
    <header class="panel-head">
      <h2>{title}</h2>
      {aside}
    </header>
    {children}
  </section>
);
