/**
 * role="toolbar" with one tab stop: arrow keys (and Home/End) move between its buttons,
 * Tab leaves it (WAI-ARIA toolbar pattern).
 */
import { useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

interface Props {
  label: string;
  className?: string;
  children: ReactNode;
}

const buttonsOf = (el: HTMLElement | null) => (el ? [...el.querySelectorAll<HTMLButtonElement>('button:not([disabled])')] : []);

export function Toolbar({ label, className, children }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);

  useLayoutEffect(() => {
    const buttons = buttonsOf(ref.current);
    const current = Math.min(active, buttons.length - 1);
    buttons.forEach((b, i) => (b.tabIndex = i === current ? 0 : -1));
  });

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const buttons = buttonsOf(ref.current);
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (at === -1) return;
    const next =
      e.key === 'ArrowRight' || e.key === 'ArrowDown'
        ? (at + 1) % buttons.length
        : e.key === 'ArrowLeft' || e.key === 'ArrowUp'
          ? (at - 1 + buttons.length) % buttons.length
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? buttons.length - 1
              : -1;
    if (next === -1) return;
    e.preventDefault();
    setActive(next);
    buttons[next]?.focus();
  };

  const onFocus = () => {
    const at = buttonsOf(ref.current).indexOf(document.activeElement as HTMLButtonElement);
    if (at !== -1 && at !== active) setActive(at);
  };

  return (
    <div ref={ref} role="toolbar" aria-label={label} className={className} onKeyDown={onKeyDown} onFocus={onFocus}>
      {children}
    </div>
  );
}
