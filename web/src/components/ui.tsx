// Small shared pieces: links that route on the client, status badges (word + shape), the live marker, errors.
import type { ComponentChildren, JSX } from 'preact';
import type { Badge as BadgeValue } from '../lib/format.js';
import { navigate } from '../lib/router.js';

export function Link(props: JSX.HTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const onClick = (e: MouseEvent) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(props.href);
  };
  return <a {...props} onClick={onClick} />;
}

export function Badge({ badge, title }: { badge: BadgeValue; title?: string }) {
  return (
    <span class={`badge tone-${badge.tone}`} title={title}>
      <span class="icon" aria-hidden="true">
        {badge.icon}
      </span>{' '}
      {badge.text}
    </span>
  );
}

export function LiveMarker({ live, updates }: { live: boolean; updates: number }) {
  return (
    <p class="live" role="status" aria-live="polite" data-updates={updates}>
      <span aria-hidden="true">{live ? '●' : '○'}</span> {live ? 'Live: updates as the control plane changes' : 'Connecting…'}
    </p>
  );
}

export function ErrorBox({ error }: { error?: string }) {
  if (!error) return null;
  return (
    <p class="error" role="alert">
      <span aria-hidden="true">⚠</span> Error: {error}
    </p>
  );
}

/** something the reader should know that is not an error: what this identity may not see */
export function Notice({ children }: { children: ComponentChildren }) {
  return (
    <p class="notice" role="note">
      <span aria-hidden="true">ℹ</span> {children}
    </p>
  );
}

export function Loading({ what }: { what: string }) {
  return <p class="loading">Loading {what}…</p>;
}

export function Page({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <>
      <h1 tabIndex={-1}>{title}</h1>
      {children}
    </>
  );
}
