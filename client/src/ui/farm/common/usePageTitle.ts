/** Sets the document title and moves focus to the page heading when a page opens. */
import { useEffect, useRef } from 'react';

export function usePageTitle(title: string) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Fleetsync`;
  }, [title]);
  useEffect(() => {
    // Only after navigation inside the app: the first render leaves focus where it was.
    if (document.activeElement && document.activeElement !== document.body) {
      const inMain = document.getElementById('main')?.contains(document.activeElement);
      if (!inMain && !document.activeElement.closest('.main-nav')) return;
    }
    headingRef.current?.focus({ preventScroll: false });
  }, []);
  return headingRef;
}
