import { useEffect, useRef, type RefObject } from 'react';
import { useLocation } from 'react-router';

/** How long a page may take to show its heading (it may load first) before focus stops waiting for it. */
const HEADING_WAIT_MS = 10_000;

/**
 * Moves focus to the new page's main heading after a client-side route change, so a keyboard or
 * screen-reader user lands on the new content instead of on the link they left. A page still
 * loading gets the focus on `region` meanwhile, and its heading once it shows, unless the person
 * moved on in between. The first page of a visit and a change of the query alone (filters, a
 * search on the same page) leave the focus where it is.
 */
export function useFocusOnNavigation(region: RefObject<HTMLElement | null>): void {
  const { pathname } = useLocation();
  const previous = useRef(pathname);
  useEffect(() => {
    if (previous.current === pathname) return;
    previous.current = pathname;
    if (!region.current) return;
    return focusMainHeading(region.current);
  }, [pathname, region]);
}

/** Focuses the region's first `h1`, or the region until one shows; the returned function stops waiting. */
export function focusMainHeading(region: HTMLElement, waitMs = HEADING_WAIT_MS): () => void {
  const current = region.querySelector('h1');
  if (current) {
    focusHeading(current);
    return () => undefined;
  }
  region.focus();
  const observer = new MutationObserver(() => {
    const heading = region.querySelector('h1');
    if (!heading) return;
    stop();
    if (document.activeElement === region) focusHeading(heading);
  });
  const timer = setTimeout(stop, waitMs);
  function stop() {
    observer.disconnect();
    clearTimeout(timer);
  }
  observer.observe(region, { childList: true, subtree: true });
  return stop;
}

function focusHeading(heading: HTMLElement): void {
  // A heading takes focus from a script only, never from Tab.
  if (!heading.hasAttribute('tabindex')) heading.tabIndex = -1;
  heading.focus();
}

/**
 * After a refused submit, focus goes to the form's first field marked invalid, where its message
 * is read with its label; a refusal about no field leaves the focus alone.
 */
export function useFocusFirstInvalid(form: RefObject<HTMLFormElement | null>, error: unknown): void {
  useEffect(() => {
    if (!error) return;
    form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [error, form]);
}
