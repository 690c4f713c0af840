/**
 * A small router over the History API (no dependency): the console's URLs are
 * /console/{org}/{page}, the organization first, so a deep link names its organization.
 */
import { type AnchorHTMLAttributes, useSyncExternalStore } from 'react';

export const BASE = '/console/';

const listeners = new Set<() => void>();
window.addEventListener('popstate', () => {
  for (const listener of listeners) listener();
});

export function navigate(to: string) {
  window.history.pushState(null, '', to);
  for (const listener of listeners) listener();
  // As a page load would: back to the top, and the keyboard's focus to the new page's content.
  window.scrollTo(0, 0);
  document.getElementById('main')?.focus({ preventScroll: true });
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The organization and the page path of the current URL. */
export function useLocation(): { org: string | undefined; page: string } {
  const pathname = useSyncExternalStore(subscribe, () => window.location.pathname);
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : '';
  const [org, ...page] = rest.split('/').filter(Boolean);
  return { org: org ? decodeURIComponent(org) : undefined, page: page.join('/') };
}

/** The URL of a page of an organization. */
export const pageUrl = (org: string, page: string) => `${BASE}${encodeURIComponent(org)}/${page}`;

/** A link that changes page without reloading (a new tab or window still works). */
export function Link({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  return (
    <a
      href={href}
      {...rest}
      onClick={(event) => {
        onClick?.(event);
        if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey)
          return;
        event.preventDefault();
        navigate(href);
      }}
    />
  );
}
